// Throughput of strict base64 (harness/codec/sasl/base64) on AUTH-sized blobs (a PLAIN initial
// response, ~40 bytes) and on 1 MiB blobs, plus a whole SASL PLAIN server exchange.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "codec/sasl/base64.hpp"
#include "codec/sasl/plain.hpp"
#include "codec/sasl/server_session.hpp"

namespace {

namespace b64 = mailtls::codec::sasl::base64;
namespace sasl = mailtls::codec::sasl;

// Deterministic pseudo-random bytes (xorshift), so every run measures the same input.
std::string random_bytes(std::size_t n) {
  std::string s(n, '\0');
  std::uint32_t x = 2463534242u;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return s;
}

const std::string auth_blob = std::string("\0alice@example.org\0correct horse battery staple", 48);

void bm_base64_decode_auth(benchmark::State& state) {
  const std::string in = b64::encode(auth_blob);  // 64 characters
  std::string out;
  out.reserve(64);
  for (auto _ : state) {
    out.clear();
    const auto r = b64::decode(in, out);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}
BENCHMARK(bm_base64_decode_auth);

void bm_base64_encode_auth(benchmark::State& state) {
  std::string out;
  out.reserve(64);
  for (auto _ : state) {
    out.clear();
    b64::encode(auth_blob, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * auth_blob.size()));
}
BENCHMARK(bm_base64_encode_auth);

void bm_base64_decode_1mib(benchmark::State& state) {
  const std::string in = b64::encode(random_bytes(std::size_t{3} << 18));  // 1 MiB of base64
  std::string out;
  for (auto _ : state) {
    out.clear();
    const auto r = b64::decode(in, out, in.size());
    if (!r.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}
BENCHMARK(bm_base64_decode_1mib);

void bm_base64_encode_1mib(benchmark::State& state) {
  const std::string in = random_bytes(std::size_t{1} << 20);
  std::string out;
  for (auto _ : state) {
    out.clear();
    b64::encode(in, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}
BENCHMARK(bm_base64_encode_1mib);

// One AUTH PLAIN with an initial response, as a server handles it: decode, parse, authenticate.
void bm_server_plain_exchange(benchmark::State& state) {
  const std::string ir = b64::encode(auth_blob);
  for (auto _ : state) {
    sasl::server_session s(sasl::mechanism::plain, ir);
    auto a = s.start();
    benchmark::DoNotOptimize(a);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * ir.size()));
}
BENCHMARK(bm_server_plain_exchange);

}  // namespace
