// engine_limits: a peer or an application cannot grow the engine's buffers without bound.
#include <gtest/gtest.h>

#include <string>

#include "tls/engine.hpp"
#include "tls_fixture.hpp"

namespace mailtls::tls {
namespace {

using test::default_pki;

TEST(engine_limits, input_ciphertext_over_limit_is_refused_whole) {
  engine_options opts;
  opts.limits.max_input_ciphertext = 1000;
  engine client(test::make_client(test::client_trusting(default_pki().ca)), opts);
  const std::string big(1001, '\x17');
  EXPECT_EQ(client.feed_ciphertext(big), make_error_code(errc::input_buffer_full));
  EXPECT_EQ(client.stats().ciphertext_in, 0u);
  EXPECT_FALSE(client.failed());  // back-pressure, not a failure
}

TEST(engine_limits, undelivered_plaintext_is_bounded) {
  engine_options small;
  small.limits.max_input_plaintext = 1000;
  small.limits.max_input_ciphertext = 200 * 1024;
  const context client_ctx = test::make_client(test::client_trusting(default_pki().ca));
  engine client(client_ctx, small);
  engine server(test::make_server(test::server_for(default_pki().leaf)));
  test::pump(client, server);
  ASSERT_TRUE(client.handshake_done());
  const std::string payload(100 * 1024, 'p');
  ASSERT_FALSE(server.write_plaintext(payload));
  std::string wire;
  server.take_ciphertext(wire);
  ASSERT_FALSE(client.feed_ciphertext(wire));
  EXPECT_LE(client.pending_plaintext(), 1000u);
  EXPECT_GT(client.pending_plaintext(), 0u);
  // The ciphertext not yet decrypted stays within its own limit: more is refused.
  EXPECT_EQ(client.feed_ciphertext(std::string(200 * 1024, 'x')),
            make_error_code(errc::input_buffer_full));
  std::string got;
  EXPECT_EQ(client.read_plaintext(got), payload.size());
  EXPECT_EQ(got, payload);
  EXPECT_EQ(client.pending_plaintext(), 0u);
}

TEST(engine_limits, output_over_limit_is_refused_until_taken) {
  engine_options opts;
  opts.limits.max_output = 64 * 1024;
  const context client_ctx = test::make_client(test::client_trusting(default_pki().ca));
  engine client(client_ctx, opts);
  engine server(test::make_server(test::server_for(default_pki().leaf)));
  test::pump(client, server);
  ASSERT_TRUE(client.handshake_done());
  const std::string chunk(40 * 1024, 'c');
  EXPECT_FALSE(client.write_plaintext(chunk));
  EXPECT_EQ(client.write_plaintext(chunk), make_error_code(errc::output_buffer_full));
  EXPECT_FALSE(client.failed());
  std::string wire;
  EXPECT_GT(client.take_ciphertext(wire), chunk.size());
  EXPECT_EQ(client.pending_ciphertext(), 0u);
  EXPECT_FALSE(client.write_plaintext(chunk));
  EXPECT_EQ(client.stats().plaintext_out, 2 * chunk.size());
}

TEST(engine_limits, plaintext_queued_before_handshake_is_bounded) {
  engine_options opts;
  opts.limits.max_output = 100;
  engine client(test::make_client(test::client_trusting(default_pki().ca)), opts);
  EXPECT_FALSE(client.write_plaintext(std::string(60, 'a')));
  EXPECT_EQ(client.write_plaintext(std::string(41, 'b')),
            make_error_code(errc::output_buffer_full));
  EXPECT_FALSE(client.write_plaintext(std::string(40, 'b')));
}

TEST(engine_limits, shutdown_needs_a_handshake) {
  engine client(test::make_client(test::client_trusting(default_pki().ca)));
  EXPECT_EQ(client.shutdown(), make_error_code(errc::not_established));
  EXPECT_FALSE(client.failed());
}

}  // namespace
}  // namespace mailtls::tls
