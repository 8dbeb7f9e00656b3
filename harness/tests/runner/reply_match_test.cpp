// Capability comparison, the matcher behind `[+NAME -NAME=PARAM]` assertions and `requires:`:
// EHLO keywords (RFC 5321 §4.1.1.1, RFC 4954 §3 AUTH parameters, legacy AUTH=), POP3 CAPA lines
// (RFC 2449 §5, SASL parameters), IMAP CAPABILITY atoms (RFC 9051 §7.2.2, AUTH=, LOGINDISABLED).
#include "runner/reply_match.hpp"

#include <gtest/gtest.h>

namespace mailtls::runner {
namespace {

capability_list ehlo(std::vector<std::string> lines) {
  codec::smtp::reply r;
  r.code = 250;
  r.lines = std::move(lines);
  codec::smtp::ehlo_capabilities caps;
  EXPECT_FALSE(caps.parse(r));
  return capability_list::from_ehlo(caps);
}

TEST(capability_list, ehlo_keywords_and_parameters) {
  const auto c = ehlo(
      {"mx.example greets you", "PIPELINING", "SIZE 10240000", "STARTTLS", "AUTH PLAIN LOGIN"});
  EXPECT_TRUE(c.offers("STARTTLS"));
  EXPECT_TRUE(c.offers("starttls"));  // case-insensitive
  EXPECT_TRUE(c.offers("AUTH"));
  EXPECT_TRUE(c.offers("AUTH=PLAIN"));
  EXPECT_TRUE(c.offers("auth=login"));
  EXPECT_FALSE(c.offers("AUTH=CRAM-MD5"));
  EXPECT_TRUE(c.offers("SIZE=10240000"));
  EXPECT_FALSE(c.offers("CHUNKING"));
  EXPECT_FALSE(c.offers("START"));  // whole names only
  // The greeting line is not a keyword.
  EXPECT_FALSE(c.offers("MX.EXAMPLE"));
}

TEST(capability_list, no_auth_at_all_means_every_auth_assertion_is_absent) {
  const auto c = ehlo({"mx", "STARTTLS"});
  EXPECT_FALSE(c.offers("AUTH"));
  EXPECT_FALSE(c.offers("AUTH=PLAIN"));
}

TEST(capability_list, legacy_auth_equals_counts_as_auth) {
  const auto c = ehlo({"mx", "AUTH=PLAIN LOGIN"});
  EXPECT_TRUE(c.offers("AUTH"));
  EXPECT_TRUE(c.offers("AUTH=LOGIN"));
}

TEST(capability_list, pop3_capa_lines) {
  const auto c = capability_list::from_capa(
      codec::pop3::capabilities::parse("USER\r\nSTLS\r\nSASL PLAIN LOGIN\r\nTOP\r\n"));
  EXPECT_TRUE(c.offers("STLS"));
  EXPECT_TRUE(c.offers("USER"));
  EXPECT_TRUE(c.offers("SASL"));
  EXPECT_TRUE(c.offers("SASL=PLAIN"));
  EXPECT_FALSE(c.offers("SASL=CRAM-MD5"));
  EXPECT_FALSE(c.offers("APOP"));
}

TEST(capability_list, imap_atoms_with_auth_and_logindisabled) {
  codec::imap::capability_set s;
  s.add("IMAP4rev1").add("STARTTLS").add("LOGINDISABLED").add_auth("PLAIN");
  const auto c = capability_list::from_imap(s);
  EXPECT_TRUE(c.offers("imap4rev1"));
  EXPECT_TRUE(c.offers("LOGINDISABLED"));
  EXPECT_TRUE(c.offers("AUTH=PLAIN"));
  EXPECT_TRUE(c.offers("AUTH"));
  EXPECT_FALSE(c.offers("AUTH=LOGIN"));
  EXPECT_FALSE(c.offers("IMAP4rev2"));
}

TEST(capability_list, merge_and_names_for_requires) {
  auto c = ehlo({"mx", "STARTTLS"});
  c.merge(ehlo({"mx", "AUTH PLAIN"}));
  EXPECT_TRUE(c.offers("STARTTLS"));
  EXPECT_TRUE(c.offers("AUTH=PLAIN"));
  std::set<std::string> names;
  c.add_names(names);
  EXPECT_TRUE(names.contains("STARTTLS"));
  EXPECT_TRUE(names.contains("AUTH"));
  EXPECT_TRUE(names.contains("AUTH=PLAIN"));
}

TEST(describe_alternatives, conformant_and_tolerated) {
  EXPECT_EQ(describe_alternatives({"250"}), "250");
  EXPECT_EQ(describe_alternatives({"530", "538"}), "530 or 538");
  EXPECT_EQ(describe_alternatives({"530", "535", "538"}), "530, 535 or 538");
  EXPECT_EQ(describe_alternatives({"530", "~503", "538"}), "530 or 538 (tolerated: 503)");
  EXPECT_EQ(describe_alternatives({"~503"}), "503");
}

}  // namespace
}  // namespace mailtls::runner
