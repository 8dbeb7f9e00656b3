// Throughput of CRLF line framing on an SMTP-like command stream.
#include <benchmark/benchmark.h>

#include <string>

#include "codec/line_reader.hpp"

namespace {

std::string command_stream(std::size_t target_bytes) {
  static const char* const lines[] = {
      "EHLO client.example.org\r\n",
      "MAIL FROM:<alice@example.org> SIZE=5120 BODY=8BITMIME\r\n",
      "RCPT TO:<bob@example.net>\r\n",
      "DATA\r\n",
      "RSET\r\n",
      "NOOP\r\n",
      "Subject: quarterly report for the operations team, see attachment\r\n"};
  std::string s;
  for (std::size_t i = 0; s.size() < target_bytes; ++i)
    s += lines[i % std::size(lines)];
  return s;
}

void bm_line_reader(benchmark::State& state) {
  const std::string input = command_stream(1 << 20);
  for (auto _ : state) {
    mailtls::codec::line_reader r;
    std::string_view rest = input;
    std::size_t lines = 0;
    while (!rest.empty()) {
      const auto res = r.parse(rest);
      if (!res.is_complete()) break;
      ++lines;
      rest.remove_prefix(res.consumed);
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}
BENCHMARK(bm_line_reader);

}  // namespace
