#include "session/pop3/maildrop.hpp"

namespace mailtls::server::pop3 {

void append_multi_line(std::string_view content, std::optional<std::uint32_t> body_lines,
                       std::string& out) {
  bool in_body = false;
  std::uint32_t left = body_lines.value_or(0);
  std::size_t pos = 0;
  while (pos < content.size()) {
    if (in_body && body_lines && left-- == 0) break;
    std::size_t lf = content.find('\n', pos);
    const std::size_t next = lf == std::string_view::npos ? content.size() : lf + 1;
    if (lf == std::string_view::npos) lf = content.size();
    std::string_view line = content.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == '.') out.push_back('.');  // RFC 1939 §3 byte-stuffing
    out.append(line);
    out.append("\r\n");
    if (line.empty()) in_body = true;  // RFC 5322 §2.1: the first empty line ends the header
    pos = next;
  }
  out.append(".\r\n");
}

maildrop::maildrop(std::unique_ptr<mailbox> box)
    : box_(std::move(box)), deleted_(box_->messages().size(), false) {}

std::size_t maildrop::count() const {
  std::size_t n = 0;
  for (const bool d : deleted_)
    n += d ? 0 : 1;
  return n;
}

std::uint64_t maildrop::octets() const {
  std::uint64_t total = 0;
  const auto& msgs = box_->messages();
  for (std::size_t i = 0; i < deleted_.size(); ++i) {
    if (!deleted_[i]) total += msgs[i].size;
  }
  return total;
}

const message_entry* maildrop::find(std::uint32_t n) const {
  if (n < 1 || n > size() || deleted_[n - 1]) return nullptr;
  return &box_->messages()[n - 1];
}

bool maildrop::mark_deleted(std::uint32_t n) {
  if (find(n) == nullptr) return false;
  deleted_[n - 1] = true;
  return true;
}

void maildrop::unmark_all() {
  deleted_.assign(deleted_.size(), false);
}

std::error_code maildrop::append_message(std::uint32_t n, std::optional<std::uint32_t> body_lines,
                                         std::string& out) {
  if (find(n) == nullptr) return std::make_error_code(std::errc::invalid_argument);
  if (const auto ec = box_->read(n - 1, scratch_)) return ec;
  append_multi_line(scratch_, body_lines, out);
  return {};
}

std::error_code maildrop::update(std::size_t& left) {
  bool any = false;
  std::error_code first{};
  for (std::size_t i = 0; i < deleted_.size(); ++i) {
    if (!deleted_[i]) continue;
    any = true;
    const auto flags = static_cast<std::uint8_t>(box_->messages()[i].flags | flag_deleted);
    if (const auto ec = box_->set_flags(i, flags); ec && !first) first = ec;
  }
  if (any) {
    std::vector<std::uint32_t> expunged;
    if (const auto ec = box_->expunge(expunged); ec && !first) first = ec;
  }
  left = box_->messages().size();
  return first;
}

}  // namespace mailtls::server::pop3
