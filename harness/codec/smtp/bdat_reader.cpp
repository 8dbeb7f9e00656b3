#include "codec/smtp/bdat_reader.hpp"

namespace mailtls::codec::smtp {

bdat_reader::bdat_reader(limits lim, std::string* sink) : limits_(lim), sink_(sink) {}

void bdat_reader::reset() {
  content_.clear();
  offset_ = 0;
  remaining_ = 0;
  size_ = 0;
  stored_ = 0;
  last_ = false;
  message_done_ = true;
}

void bdat_reader::begin_chunk(std::uint64_t size, bool last) {
  if (message_done_) {
    content_.clear();
    sink_start_ = sink_ != nullptr ? sink_->size() : 0;
    size_ = 0;
    stored_ = 0;
    message_done_ = false;
  }
  remaining_ = size;
  last_ = last;
  if (size == 0 && last) message_done_ = true;
}

std::string_view bdat_reader::content() const {
  if (sink_ == nullptr) return content_;
  const std::string_view all(*sink_);  // the caller may have cleared it meanwhile
  return sink_start_ <= all.size() ? all.substr(sink_start_) : std::string_view();
}

parse_result bdat_reader::parse(std::string_view bytes) {
  if (remaining_ == 0) return parse_result::complete(0);
  const std::size_t take =
      remaining_ < bytes.size() ? static_cast<std::size_t>(remaining_) : bytes.size();
  if (stored_ < limits_.max_message_size) {
    const std::uint64_t room = limits_.max_message_size - stored_;
    const std::size_t keep = room < take ? static_cast<std::size_t>(room) : take;
    (sink_ != nullptr ? *sink_ : content_).append(bytes.data(), keep);
    stored_ += keep;
  }
  size_ += take;
  remaining_ -= take;
  offset_ += take;
  if (remaining_ != 0) return parse_result::need_more(take);
  if (last_) message_done_ = true;
  return parse_result::complete(take);
}

}  // namespace mailtls::codec::smtp
