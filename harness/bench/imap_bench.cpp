// Throughput of the IMAP codec: a server response stream as seen while synchronising a mailbox
// (untagged status/data and FETCH responses carrying 5 KB message literals), and a client command
// stream (FETCH/STORE/SEARCH/SELECT/LOGIN/APPEND with literals).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "codec/imap/command_parser.hpp"
#include "codec/imap/response_parser.hpp"

namespace {

using namespace mailtls::codec::imap;

std::string message_body(std::size_t size, std::size_t seed) {
  std::string body = "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: report " +
                     std::to_string(seed) + "\r\nMessage-ID: <" + std::to_string(seed) +
                     "@example.org>\r\n\r\n";
  static const char line[] =
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n";
  while (body.size() + sizeof(line) - 1 <= size)
    body += line;
  body.append(size - body.size(), 'x');
  return body;
}

std::string response_stream(std::size_t target_bytes) {
  std::string s = "* OK [CAPABILITY IMAP4rev2 IMAP4rev1 STARTTLS AUTH=PLAIN] ready\r\n";
  std::size_t n = 1;
  for (std::size_t tag = 1; s.size() < target_bytes; ++tag) {
    s += "* " + std::to_string(1000 + n) + " EXISTS\r\n* 0 RECENT\r\n";
    s += "* OK [UIDNEXT " + std::to_string(5000 + n) + "] Predicted next UID\r\n";
    s += "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n";
    for (int i = 0; i < 4; ++i, ++n) {
      const std::string body = message_body(5120, n);
      s += "* " + std::to_string(n) + " FETCH (UID " + std::to_string(4000 + n) +
           " FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE " +
           std::to_string(body.size()) + " BODY[] {" + std::to_string(body.size()) + "}\r\n" +
           body + ")\r\n";
    }
    s += "* " + std::to_string(n) + " FETCH (UID " + std::to_string(4000 + n) +
         " MODSEQ (12345) FLAGS (\\Seen \\Answered))\r\n";
    s += "* 3 EXPUNGE\r\n* SEARCH 2 3 6 9 12 15 18\r\n";
    s += "A" + std::to_string(tag) + " OK [READ-WRITE] FETCH completed\r\n";
  }
  return s;
}

std::string command_stream(std::size_t target_bytes) {
  std::string s;
  for (std::size_t i = 1; s.size() < target_bytes; ++i) {
    const std::string t = "A" + std::to_string(i);
    s += t + "a LOGIN alice {6+}\r\nsecret\r\n";
    s += t + "b SELECT \"INBOX\" (CONDSTORE)\r\n";
    s += t + "c UID FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT FROM DATE)]<0.1024>)\r\n";
    s += t + "d UID STORE 4001:4010,4020 +FLAGS.SILENT (\\Seen $Forwarded)\r\n";
    s += t + "e UID SEARCH CHARSET UTF-8 SUBJECT \"report\" SINCE 1-Jul-2024 UNSEEN\r\n";
    s += t + "f STATUS \"Sent Items\" (MESSAGES UIDNEXT UNSEEN)\r\n";
    s += t + "g APPEND Sent (\\Seen) {1024+}\r\n" + message_body(1024, i) + "\r\n";
    s += t + "h NOOP\r\n";
  }
  return s;
}

template <class Parser>
void run_stream(benchmark::State& state, const std::string& input, Parser make) {
  for (auto _ : state) {
    auto p = make();
    std::string_view rest = input;
    std::size_t messages = 0;
    while (!rest.empty()) {
      const auto res = p.parse(rest);
      if (!res.is_complete()) {
        state.SkipWithError("parse failed");
        return;
      }
      ++messages;
      rest.remove_prefix(res.consumed);
    }
    benchmark::DoNotOptimize(messages);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

void bm_imap_responses(benchmark::State& state) {
  const std::string input = response_stream(1 << 20);
  run_stream(state, input, [] { return response_parser(); });
}
BENCHMARK(bm_imap_responses);

void bm_imap_commands(benchmark::State& state) {
  const std::string input = command_stream(1 << 20);
  run_stream(state, input, [] { return command_parser(); });
}
BENCHMARK(bm_imap_commands);

// Responses arriving in 1500-byte segments (as from TLS records/TCP reads).
void bm_imap_responses_segmented(benchmark::State& state) {
  const std::string input = response_stream(1 << 20);
  for (auto _ : state) {
    response_parser p;
    std::string pending;
    std::size_t messages = 0;
    for (std::size_t at = 0; at < input.size(); at += 1500) {
      pending.append(std::string_view(input).substr(at, 1500));
      std::string_view rest = pending;
      for (;;) {
        const auto res = p.parse(rest);
        if (res.is_error()) {
          state.SkipWithError("parse failed");
          return;
        }
        rest.remove_prefix(res.consumed);
        if (res.is_need_more() || rest.empty()) break;
        ++messages;
      }
      pending.erase(0, pending.size() - rest.size());
    }
    benchmark::DoNotOptimize(messages);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}
BENCHMARK(bm_imap_responses_segmented);

}  // namespace
