// Throughput of the POP3 codec: a client command stream, a RETR of a realistic 5 KB message
// repeated to ~1 MiB, and LIST / UIDL scan listings (multi-line bodies of short lines).
#include <benchmark/benchmark.h>

#include <string>

#include "codec/pop3/command_parser.hpp"
#include "codec/pop3/response_parser.hpp"

namespace {

using namespace mailtls::codec::pop3;

constexpr std::size_t target = std::size_t{1} << 20;

std::string command_stream() {
  static const char* const lines[] = {"USER alice@example.org\r\n",
                                      "PASS correct horse battery\r\n",
                                      "STAT\r\n",
                                      "LIST\r\n",
                                      "UIDL 17\r\n",
                                      "RETR 1234\r\n",
                                      "TOP 12 20\r\n",
                                      "DELE 1234\r\n",
                                      "NOOP\r\n",
                                      "CAPA\r\n",
                                      "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"};
  std::string s;
  for (std::size_t i = 0; s.size() < target; ++i)
    s += lines[i % std::size(lines)];
  return s;
}

// A ~5 KB message: headers, a text body with some dot-stuffed lines, a base64 attachment part.
std::string message_5k() {
  std::string m =
      "Return-Path: <bob@example.net>\r\n"
      "Received: from mail.example.net (mail.example.net [192.0.2.7])\r\n"
      "\tby mx.example.org with ESMTPS id 4Xy7Qd1vWz; Tue, 12 Mar 2024 09:12:44 +0000\r\n"
      "From: Bob Example <bob@example.net>\r\n"
      "To: Alice <alice@example.org>\r\n"
      "Subject: Quarterly report for the operations team\r\n"
      "Date: Tue, 12 Mar 2024 09:12:40 +0000\r\n"
      "Message-ID: <20240312091240.12345@mail.example.net>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
      "\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
  for (int i = 0; i < 20; ++i) {
    m += "Hello Alice, here are the figures for this quarter; please check the attached file.\r\n";
    if (i % 7 == 0) m += "..this line started with a dot and was stuffed by the server\r\n";
  }
  m += "\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  while (m.size() < 5000)
    m += "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+\r\n";
  m += "--b1--\r\n";
  return m;
}

std::string retr_stream() {
  const std::string msg = message_5k();
  std::string s;
  while (s.size() < target) {
    s += "+OK " + std::to_string(msg.size()) + " octets\r\n";
    s += msg;
    s += ".\r\n";
  }
  return s;
}

std::string listing_stream(bool uidl) {
  std::string s = "+OK scan listing follows\r\n";
  for (std::size_t i = 1; s.size() < target; ++i) {
    s += std::to_string(i);
    s += uidl ? " whqtswO00WBw418f9t5JxYw" + std::to_string(i * 7919)
              : " " + std::to_string(4000 + i % 9000);
    s += "\r\n";
  }
  s += ".\r\n";
  return s;
}

void bm_commands(benchmark::State& state) {
  const std::string input = command_stream();
  for (auto _ : state) {
    command_parser p;
    std::string_view rest = input;
    std::size_t n = 0;
    while (!rest.empty()) {
      const auto r = p.parse(rest);
      if (!r.is_complete()) break;
      ++n;
      rest.remove_prefix(r.consumed);
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}
BENCHMARK(bm_commands);

// Baseline: CRLF framing alone (codec::line_reader) over the same command stream.
void bm_commands_framing_only(benchmark::State& state) {
  const std::string input = command_stream();
  for (auto _ : state) {
    mailtls::codec::line_reader r(mailtls::codec::line_limits{.max_length = 255});
    std::string_view rest = input;
    std::size_t n = 0;
    while (!rest.empty()) {
      const auto res = r.parse(rest);
      if (!res.is_complete()) break;
      ++n;
      rest.remove_prefix(res.consumed);
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}
BENCHMARK(bm_commands_framing_only);

void run_responses(benchmark::State& state, const std::string& input) {
  response_limits lim;
  lim.max_body_size = std::size_t{4} << 20;
  for (auto _ : state) {
    response_parser p(lim);
    std::string_view rest = input;
    std::size_t bytes = 0;
    while (!rest.empty()) {
      p.expect(response_kind::multi_line);
      const auto r = p.parse(rest);
      if (!r.is_complete()) break;
      bytes += p.message().body.size();
      rest.remove_prefix(r.consumed);
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

void bm_retr_5k_messages(benchmark::State& state) {
  run_responses(state, retr_stream());
}
BENCHMARK(bm_retr_5k_messages);

void bm_list_listing(benchmark::State& state) {
  run_responses(state, listing_stream(false));
}
BENCHMARK(bm_list_listing);

void bm_uidl_listing(benchmark::State& state) {
  run_responses(state, listing_stream(true));
}
BENCHMARK(bm_uidl_listing);

}  // namespace
