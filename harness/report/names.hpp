// Small helpers shared by the report writers. The outcome, limit and transcript-direction words are
// runner::to_name (runner/result.hpp); they are part of the report contract
// (results/schema/report.schema.json enums).
#pragma once

#include <string>
#include <string_view>

#include "report/model.hpp"

namespace mailtls::report {

std::string_view verdict_word(runner::outcome o) noexcept;  // "PASS", "FAIL", "ERROR", "SKIP"

// The target a case ran against; a default-constructed target when the index is out of range
// (a broken model must not crash a writer).
const target& target_of(const run& r, const case_result& c) noexcept;

// Milliseconds as seconds with three decimals ("1.005"), locale-independent (JUnit `time`).
std::string seconds(std::uint64_t ms);

// ASCII upper case ("smtp" -> "SMTP").
std::string upper(std::string_view s);

}  // namespace mailtls::report
