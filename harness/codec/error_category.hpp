// One std::error_category per codec module, generated from a small traits specialisation.
//
// A module declares
//   enum class smtp_errc { ... };
//   template <> struct errc_traits<smtp_errc> {
//     static constexpr const char* name = "mailtls.smtp";
//     static const char* message(smtp_errc e) noexcept;
//   };
//   std::error_code make_error_code(smtp_errc e) noexcept;  // = make_codec_error(e)
// and specialises std::is_error_code_enum for its enum.
#pragma once

#include <string>
#include <system_error>

namespace mailtls::codec {

template <class Enum>
struct errc_traits;

template <class Enum>
class errc_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return errc_traits<Enum>::name; }
  std::string message(int v) const override {
    return errc_traits<Enum>::message(static_cast<Enum>(v));
  }
};

template <class Enum>
const std::error_category& category_of() noexcept {
  static const errc_category<Enum> instance;
  return instance;
}

template <class Enum>
std::error_code make_codec_error(Enum e) noexcept {
  return {static_cast<int>(e), category_of<Enum>()};
}

}  // namespace mailtls::codec
