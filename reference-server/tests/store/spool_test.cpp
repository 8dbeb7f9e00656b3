#include "store/spool.hpp"

#include <gtest/gtest.h>

#include "store/errc.hpp"
#include "temp_dir.hpp"

namespace mailtls::server::store {
namespace {

envelope sample() {
  envelope e;
  e.helo = "client.example";
  e.mail_from = "alice@example.org";
  e.rcpt_to = {"carol@example.net", "dave@example.com"};
  e.authenticated_user = "alice@example.org";
  e.peer_address = "192.0.2.7";
  e.tls = true;
  return e;
}

TEST(spool, format_is_exact_and_round_trips) {
  std::string out;
  const std::string msg = "Subject: x\r\n\r\nbody\r\n";
  ASSERT_EQ(serialize_spool_file(sample(), msg, out), std::error_code{});
  EXPECT_EQ(out,
            "mailtls-spool 1\nhelo client.example\nfrom alice@example.org\n"
            "to carol@example.net\nto dave@example.com\nauth alice@example.org\n"
            "peer 192.0.2.7\ntls 1\n\nSubject: x\r\n\r\nbody\r\n");
  envelope e;
  std::string m;
  ASSERT_EQ(parse_spool_file(out, e, m), std::error_code{});
  EXPECT_EQ(e, sample());
  EXPECT_EQ(m, msg);
}

TEST(spool, null_reverse_path_and_empty_fields) {
  envelope in;
  in.rcpt_to = {"x@y.test"};
  std::string out;
  ASSERT_EQ(serialize_spool_file(in, "", out), std::error_code{});
  EXPECT_EQ(out, "mailtls-spool 1\nhelo \nfrom \nto x@y.test\nauth \npeer \ntls 0\n\n");
  envelope e;
  std::string m = "junk";
  ASSERT_EQ(parse_spool_file(out, e, m), std::error_code{});
  EXPECT_EQ(e, in);
  EXPECT_EQ(m, "");
}

TEST(spool, refuses_line_breaks_in_fields) {
  std::string out;
  auto e = sample();
  e.mail_from = "a@b\r\nto evil@x";
  EXPECT_EQ(serialize_spool_file(e, "m", out), store_errc::bad_envelope);
  e = sample();
  e.rcpt_to.push_back(std::string("a\0b", 3));
  EXPECT_EQ(serialize_spool_file(e, "m", out), store_errc::bad_envelope);
  e = sample();
  e.rcpt_to.clear();
  EXPECT_EQ(serialize_spool_file(e, "m", out), store_errc::bad_envelope);
}

TEST(spool, parse_rejects_malformed_files) {
  for (const char* bad : {"", "mailtls-spool 2\n", "mailtls-spool 1\nhelo x\nfrom y\nauth \n",
                          "mailtls-spool 1\nhelo x\nfrom y\nto z\nauth \npeer \ntls 2\n\n",
                          "mailtls-spool 1\nhelo x\nfrom y\nto z\nauth \npeer \ntls 1\n",
                          "mailtls-spool 1\nhelo x\nfrom y\nto \nauth \npeer \ntls 1\n\n"}) {
    envelope e;
    std::string m;
    EXPECT_EQ(parse_spool_file(bad, e, m), store_errc::bad_spool_file) << bad;
  }
}

TEST(spool, spool_message_is_durable_in_outbound) {
  test::temp_dir dir;
  ASSERT_TRUE(std::filesystem::create_directories(dir / "spool/tmp"));
  ASSERT_TRUE(std::filesystem::create_directories(dir / "spool/outbound"));
  std::string name;
  ASSERT_EQ(spool_message(dir / "spool", sample(), "m\r\n", "mx.test", name), std::error_code{});
  EXPECT_EQ(test::entries(dir / "spool/outbound"), (std::vector<std::string>{name}));
  EXPECT_TRUE(test::entries(dir / "spool/tmp").empty());
  envelope e;
  std::string m;
  ASSERT_EQ(parse_spool_file(test::slurp(dir / "spool/outbound/" + name), e, m), std::error_code{});
  EXPECT_EQ(e, sample());
  EXPECT_EQ(m, "m\r\n");
}

}  // namespace
}  // namespace mailtls::server::store
