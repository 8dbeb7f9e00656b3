// Bounds of the proxy session: findings, buffers, the fallback read after a downgrade, TLS record
// skipping.
#include <gtest/gtest.h>

#include "mitm/tls_record_skipper.hpp"
#include "proxy_script.hpp"

namespace mailtls::mitm {
namespace {

using namespace test;

TEST(ProxyLimits, FindingsListIsCapped) {
  proxy_config cfg = config(runner::protocol::smtp, attack::none);
  cfg.limits.max_findings = 8;
  std::string junk;
  for (int i = 0; i < 50; ++i)
    junk += "\x01\r\n";  // each an unparsable command
  const run_result r = run(cfg, {s("220 mx\r\n"), c(junk), client_eof()});
  ASSERT_EQ(r.findings.size(), 8u);
  EXPECT_EQ(r.findings[0], "protocol-error client command: unknown command");
  EXPECT_EQ(r.findings[7], "truncated 44 more not listed");
  // The verdict still sees the close (flags are kept beyond the cap).
  EXPECT_EQ(r.verdict.outcome, verdict::pass);
}

TEST(ProxyLimits, ServerBufferIsBounded) {
  proxy_config cfg = config(runner::protocol::imap, attack::none);
  cfg.limits.max_buffer = 2048;
  cfg.limits.max_line = 1024;
  // A response line longer than any bound, never ended: forwarded as it comes, never held whole.
  std::vector<event> script = {s("* OK hi\r\n"), c("a1 NOOP\r\n")};
  for (int i = 0; i < 20; ++i)
    script.push_back(s("* 1 FETCH (BODY[] \"" + std::string(500, 'x')));
  const run_result r = run(cfg, script);
  EXPECT_LE(r.max_buffered, 2048u);
  EXPECT_EQ(r.phase, proxy_phase::cleartext);
  EXPECT_EQ(r.findings.front(), "protocol-error server response: line too long");
}

TEST(ProxyLimits, FallbackReadIsBounded) {
  proxy_config cfg = config(runner::protocol::smtp, attack::downgrade);
  cfg.limits.max_fallback_bytes = 100;
  const std::string hello = std::string("\x16\x03\x01\x00\x01", 5) + "x";
  const run_result r = run(cfg, {s("220 mx\r\n"), c("STARTTLS\r\n"), s("220 go\r\n"), c(hello),
                                 c(std::string(101, 'N'))});
  EXPECT_EQ(r.findings.back(), "limit more than 100 bytes after the downgrade");
  EXPECT_EQ(r.phase, proxy_phase::done);
}

TEST(TlsRecordSkipper, SkipsWholeRecordsAcrossCallsThenStops) {
  tls_record_skipper k;
  const std::string records = std::string("\x16\x03\x01\x00\x02", 5) + "ab" +
                              std::string("\x17\x03\x03\x00\x01", 5) + "c" + "EHLO x\r\n";
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(k.skip(records.substr(i, 1)), 1u);  // header bytes, one at a time
  EXPECT_EQ(k.skip(records.substr(3, 9)), 9u);
  EXPECT_FALSE(k.done());
  EXPECT_EQ(k.skip(records.substr(12)), 1u);  // "c", then "EHLO" is no record type
  EXPECT_TRUE(k.done());
  EXPECT_EQ(k.skip("\x16"), 0u);  // over for good
  EXPECT_EQ(k.skipped(), 13u);
}

TEST(TlsRecordSkipper, CleartextAtOnce) {
  tls_record_skipper k;
  EXPECT_EQ(k.skip("AUTH PLAIN x\r\n"), 0u);
  EXPECT_TRUE(k.done());
}

}  // namespace
}  // namespace mailtls::mitm
