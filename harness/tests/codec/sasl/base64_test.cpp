#include "codec/sasl/base64.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace mailtls::codec::sasl::base64 {
namespace {

std::string decoded(std::string_view in, std::size_t max = default_max_decoded) {
  std::string out;
  const auto r = decode(in, out, max);
  EXPECT_TRUE(r.ok()) << "input " << in << ": " << r.error.message() << " @" << r.offset;
  EXPECT_EQ(r.size, out.size());
  return out;
}

// "<name> @<offset>" of a failed decode, or "ok".
std::string failure(std::string_view in, std::size_t max = default_max_decoded) {
  std::string out = "prefix";
  const auto r = decode(in, out, max);
  if (r.ok()) return "ok";
  EXPECT_EQ(out, "prefix") << "out must be left as it was on error";
  return error_name(r.error) + " @" + std::to_string(r.offset);
}

TEST(base64, rfc4648_section10_vectors) {
  const std::vector<std::pair<std::string, std::string>> vectors = {{"", ""},
                                                                    {"f", "Zg=="},
                                                                    {"fo", "Zm8="},
                                                                    {"foo", "Zm9v"},
                                                                    {"foob", "Zm9vYg=="},
                                                                    {"fooba", "Zm9vYmE="},
                                                                    {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, enc] : vectors) {
    EXPECT_EQ(encode(plain), enc);
    EXPECT_EQ(decoded(enc), plain);
  }
}

TEST(base64, encode_appends) {
  std::string out = "334 ";
  encode("Username:", out);
  EXPECT_EQ(out, "334 VXNlcm5hbWU6");
  EXPECT_EQ(encoded_size(0), 0u);
  EXPECT_EQ(encoded_size(1), 4u);
  EXPECT_EQ(encoded_size(3), 4u);
  EXPECT_EQ(encoded_size(4), 8u);
}

TEST(base64, decode_appends_and_reports_size) {
  std::string out = "x";
  const auto r = decode("Zm9vYmE=", out);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.size, 5u);
  EXPECT_EQ(out, "xfooba");
}

TEST(base64, every_byte_value_round_trips) {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len <= all.size(); ++len) {
    const std::string in = all.substr(all.size() - len);
    const std::string enc = encode(in);
    EXPECT_EQ(enc.size(), encoded_size(len));
    EXPECT_EQ(decoded(enc), in) << "length " << len;
  }
}

TEST(base64, binary_plain_blob) {
  EXPECT_EQ(decoded("AHVzZXIAcGFzcw=="), std::string("\0user\0pass", 10));
  EXPECT_EQ(encode(std::string("\0user\0pass", 10)), "AHVzZXIAcGFzcw==");
}

TEST(base64, empty_is_valid) {
  std::string out;
  const auto r = decode("", out);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.size, 0u);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(failure("", 0), "ok");
}

TEST(base64, rejects_characters_outside_the_alphabet) {
  EXPECT_EQ(failure("Zm9v YmFy"), "invalid_base64_char @4");
  EXPECT_EQ(failure(" Zm9v"), "invalid_base64_char @0");
  EXPECT_EQ(failure("Zm9v\r\n"), "invalid_base64_char @4");
  EXPECT_EQ(failure("Zm9vYmFy\n"), "invalid_base64_char @8");
  EXPECT_EQ(failure("Zm9v\tYmFy"), "invalid_base64_char @4");
  EXPECT_EQ(failure("Zm-v"), "invalid_base64_char @2");  // RFC 4648 §5 alphabet
  EXPECT_EQ(failure("Zm_v"), "invalid_base64_char @2");
  EXPECT_EQ(failure(std::string("Zm\0v", 4)), "invalid_base64_char @2");
  EXPECT_EQ(failure("Zm9v\x80YmF"), "invalid_base64_char @4");
  EXPECT_EQ(failure("Zm9vYmF\xff"), "invalid_base64_char @7");
  EXPECT_EQ(failure("*"), "invalid_base64_char @0");
  EXPECT_EQ(failure("Zm9v.mFy"), "invalid_base64_char @4");
}

TEST(base64, rejects_length_not_a_multiple_of_four) {
  EXPECT_EQ(failure("A"), "bad_base64_length @1");
  EXPECT_EQ(failure("Zg"), "bad_base64_length @2");
  EXPECT_EQ(failure("Zg="), "bad_base64_length @3");
  EXPECT_EQ(failure("Zm9vY"), "bad_base64_length @5");
  EXPECT_EQ(failure("Zm9vYmFyZm9"), "bad_base64_length @11");
}

TEST(base64, rejects_padding_followed_by_data) {
  EXPECT_EQ(failure("Zg=a"), "misplaced_padding @2");
  EXPECT_EQ(failure("Zg==Zg=="), "misplaced_padding @2");
  EXPECT_EQ(failure("Zm8=Zm8="), "misplaced_padding @3");
  EXPECT_EQ(failure("Zm9vZg==Zm9v"), "misplaced_padding @6");
}

TEST(base64, rejects_too_much_padding) {
  EXPECT_EQ(failure("===="), "excess_padding @0");
  EXPECT_EQ(failure("Z==="), "excess_padding @1");
  EXPECT_EQ(failure("Zm9v===="), "excess_padding @4");
  EXPECT_EQ(failure("Zg==="), "excess_padding @4");
  EXPECT_EQ(failure("Zm9v="), "excess_padding @4");
  EXPECT_EQ(failure("="), "excess_padding @0");
}

TEST(base64, rejects_nonzero_pad_bits) {
  // RFC 4648 §3.5: "Zh==" and "Zg==" would both decode to "f"; only the canonical one is valid.
  EXPECT_EQ(failure("Zh=="), "nonzero_pad_bits @1");
  EXPECT_EQ(failure("Zm9="), "nonzero_pad_bits @2");
  EXPECT_EQ(failure("Zm9vZm9="), "nonzero_pad_bits @6");
  EXPECT_EQ(failure("Zm8="), "ok");
  EXPECT_EQ(failure("Zg=="), "ok");
  EXPECT_EQ(failure("AA=="), "ok");
  EXPECT_EQ(failure("AB=="), "nonzero_pad_bits @1");
  EXPECT_EQ(failure("AAB="), "nonzero_pad_bits @2");
}

TEST(base64, reports_the_lowest_offending_offset) {
  EXPECT_EQ(failure("Z h="), "invalid_base64_char @1");  // before the pad bits and the length
  EXPECT_EQ(failure("Zh==Zm9v\x01"), "nonzero_pad_bits @1");
  EXPECT_EQ(failure("Zg==\x01"), "invalid_base64_char @4");
  EXPECT_EQ(failure("Zg=a\x01"), "misplaced_padding @2");  // found at the 'a', before the \x01
  EXPECT_EQ(failure("Zm9vYmFy", 1), "decoded_too_large @2");
  EXPECT_EQ(failure("Zm9vYm ", 1), "decoded_too_large @2");
}

TEST(base64, bounds_the_output) {
  EXPECT_EQ(failure("Zm9vYmFy", 5), "decoded_too_large @7");  // byte 6 ('r') needs char 7
  EXPECT_EQ(decoded("Zm9vYmFy", 6), "foobar");
  EXPECT_EQ(failure("Zm9vYg==", 3), "decoded_too_large @5");
  EXPECT_EQ(decoded("Zm9vYg==", 4), "foob");
  EXPECT_EQ(failure("Zg==", 0), "decoded_too_large @1");
  EXPECT_EQ(failure("Zm9v", 0), "decoded_too_large @1");
  EXPECT_EQ(failure("Zm9v", 2), "decoded_too_large @3");
}

TEST(base64, a_huge_input_allocates_no_more_than_the_bound) {
  const std::string huge(4 << 20, 'A');  // 4 MiB of valid base64, 3 MiB decoded
  std::string out;
  const auto r = decode(huge, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error, sasl_errc::decoded_too_large);
  EXPECT_EQ(r.offset, default_max_decoded / 3 * 4 + 1);
  EXPECT_LE(out.capacity(), 2 * default_max_decoded);
  EXPECT_TRUE(out.empty());
  // With a larger bound, the same input decodes.
  std::string big;
  ASSERT_TRUE(decode(huge, big, 3 << 20).ok());
  EXPECT_EQ(big.size(), std::size_t{3} << 20);
  EXPECT_EQ(big, std::string(3 << 20, '\0'));
}

TEST(base64, bound_on_the_fast_path_boundary) {
  // 12 chars = 9 bytes; with max 7 the fast path stops after 6 and the slow path finds byte 8.
  EXPECT_EQ(failure("Zm9vYmFyYmF6", 7), "decoded_too_large @10");
  EXPECT_EQ(decoded("Zm9vYmFyYmF6", 9), "foobarbaz");
}

}  // namespace
}  // namespace mailtls::codec::sasl::base64
