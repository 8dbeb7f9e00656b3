// The ports file: `{"smtp": 2525, "imaps": 5993, ...}` for the services that run, written once
// every listener is bound (so a reader that sees the file can connect to every port in it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mailtls::server::app {

// JSON text of the map (keys in order).
std::string ports_json(const std::map<std::string, std::uint16_t>& ports);

// Writes atomically: a temporary file in the same directory, fsync, rename over `path`.
// On failure returns false with `error` naming the path.
bool write_ports_file(const std::string& path, const std::map<std::string, std::uint16_t>& ports,
                      std::string& error);

// Parses a ports file's text; nothing if it is not a JSON object of port numbers.
std::optional<std::map<std::string, std::uint16_t>> parse_ports_json(const std::string& text);

}  // namespace mailtls::server::app
