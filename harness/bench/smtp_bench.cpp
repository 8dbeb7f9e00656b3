// Throughput of the SMTP codec: command lines, replies, DATA content (dot-unstuffing and
// smuggling scan), dot_stuff and EHLO capability extraction, on ~1 MiB realistic inputs.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "codec/smtp/command_parser.hpp"
#include "codec/smtp/data_reader.hpp"
#include "codec/smtp/ehlo.hpp"
#include "codec/smtp/reply_parser.hpp"

namespace {

using namespace mailtls::codec::smtp;

constexpr std::size_t k_target = 1 << 20;

std::string command_stream() {
  static const char* const lines[] = {
      "EHLO client.example.org\r\n",
      "MAIL FROM:<alice.sender@example.org> SIZE=5120 BODY=8BITMIME\r\n",
      "RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.net\r\n",
      "RCPT TO:<carol.receiver@mail.example.com>\r\n",
      "DATA\r\n",
      "RSET\r\n",
      "NOOP\r\n",
      "MAIL FROM:<> BODY=7BIT\r\n",
      "RCPT TO:<postmaster@[192.0.2.1]>\r\n",
      "BDAT 65536 LAST\r\n",
      "QUIT\r\n"};
  std::string s;
  for (std::size_t i = 0; s.size() < k_target; ++i)
    s += lines[i % std::size(lines)];
  return s;
}

std::string reply_stream() {
  static const char* const replies[] = {
      "220 mx.example.net ESMTP Postfix (Debian/GNU)\r\n",
      ("250-mx.example.net\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
       "250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN\r\n"
       "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n"
       "250 CHUNKING\r\n"),
      "250 2.1.0 Ok\r\n",
      "250 2.1.5 Ok\r\n",
      "354 End data with <CR><LF>.<CR><LF>\r\n",
      "250 2.0.0 Ok: queued as 4Q1x2y3z4w\r\n",
      ("550-5.7.1 Relaying denied. The recipient domain is not served here;\r\n"
       "550 5.7.1 see https://mx.example.net/policy for details\r\n"),
      "221 2.0.0 Bye\r\n"};
  std::string s;
  for (std::size_t i = 0; s.size() < k_target; ++i)
    s += replies[i % std::size(replies)];
  return s;
}

// A realistic ~5 KB message (headers + quoted-printable-ish text body with some dot lines).
std::string message() {
  std::string m =
      "Return-Path: <alice.sender@example.org>\r\n"
      "Received: from client.example.org (client.example.org [192.0.2.10])\r\n"
      "\tby mx.example.net (Postfix) with ESMTPS id 4Q1x2y3z4w\r\n"
      "\tfor <bob@example.net>; Tue, 14 May 2024 09:12:44 +0200 (CEST)\r\n"
      "From: Alice Sender <alice.sender@example.org>\r\n"
      "To: Bob <bob@example.net>\r\n"
      "Subject: Quarterly report for the operations team\r\n"
      "Date: Tue, 14 May 2024 09:12:40 +0200\r\n"
      "Message-ID: <20240514071240.12345@client.example.org>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n";
  static const char* const body[] = {
      "Hello Bob, please find below the summary of the quarterly figures for the team.\r\n",
      "The numbers were collected from the monitoring systems and reviewed by Carol.\r\n",
      ".This line starts with a dot and is stuffed on the wire.\r\n", "\r\n",
      "Availability stayed above the agreed objective for every service this quarter.\r\n"};
  for (std::size_t i = 0; m.size() < 5000; ++i)
    m += body[i % std::size(body)];
  return m;
}

std::string data_content() {
  const std::string m = message();
  std::string s;
  while (s.size() < k_target)
    s += m;
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

void bm_replies(benchmark::State& state) {
  const std::string input = reply_stream();
  for (auto _ : state) {
    reply_parser p;
    std::string_view rest = input;
    std::size_t n = 0;
    while (!rest.empty()) {
      const auto r = p.parse(rest);
      if (!r.is_complete()) break;
      n += p.get().lines.size();
      rest.remove_prefix(r.consumed);
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}
BENCHMARK(bm_replies);

void bm_ehlo_capabilities(benchmark::State& state) {
  reply_parser q;
  std::string ehlo;
  serialize(
      reply{250,
            {"mx.example.net", "PIPELINING", "SIZE 10240000", "STARTTLS", "AUTH PLAIN LOGIN",
             "AUTH=PLAIN LOGIN", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"}},
      ehlo);
  q.parse(ehlo);
  const reply r = q.get();
  ehlo_capabilities caps;
  for (auto _ : state) {
    caps.parse(r);
    benchmark::DoNotOptimize(caps.has("STARTTLS"));
    benchmark::DoNotOptimize(caps.params("AUTH").size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * ehlo.size()));
}
BENCHMARK(bm_ehlo_capabilities);

// Whole 1 MiB DATA section in one buffer, or in 16 KiB network-sized reads.
void bm_data(benchmark::State& state) {
  std::string wire;
  dot_stuff(data_content(), wire);
  const std::size_t chunk = static_cast<std::size_t>(state.range(0));
  std::string sink;
  sink.reserve(wire.size());
  for (auto _ : state) {
    sink.clear();
    data_reader r({}, &sink);
    std::string_view rest = wire;
    while (!rest.empty()) {
      const auto res = r.parse(rest.substr(0, chunk));
      rest.remove_prefix(res.consumed);
      if (res.is_complete()) break;
    }
    benchmark::DoNotOptimize(r.info().size);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}
BENCHMARK(bm_data)->Arg(1 << 20 << 1)->Arg(16 << 10);

void bm_dot_stuff(benchmark::State& state) {
  const std::string content = data_content();
  std::string out;
  out.reserve(content.size() * 2);
  for (auto _ : state) {
    out.clear();
    dot_stuff(content, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * content.size()));
}
BENCHMARK(bm_dot_stuff);

}  // namespace
