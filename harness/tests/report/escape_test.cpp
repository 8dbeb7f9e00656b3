#include "report/escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mailtls::report {
namespace {

using namespace std::string_literals;

TEST(ReportEscape, Utf8SequenceLengths) {
  EXPECT_EQ(utf8_sequence("a", 0), 1u);
  EXPECT_EQ(utf8_sequence("\xc3\xa9", 0), 2u);          // é
  EXPECT_EQ(utf8_sequence("\xe2\x80\x94", 0), 3u);      // —
  EXPECT_EQ(utf8_sequence("\xf0\x9f\x93\xa7", 0), 4u);  // 📧
  EXPECT_EQ(utf8_sequence("\xc0\xaf", 0), 0u);          // overlong '/'
  EXPECT_EQ(utf8_sequence("\xe0\x80\xaf", 0), 0u);      // overlong
  EXPECT_EQ(utf8_sequence("\xed\xa0\x80", 0), 0u);      // surrogate U+D800
  EXPECT_EQ(utf8_sequence("\xf4\x90\x80\x80", 0), 0u);  // U+110000
  EXPECT_EQ(utf8_sequence("\x80", 0), 0u);              // stray continuation
  EXPECT_EQ(utf8_sequence("\xe2\x80", 0), 0u);          // cut
  EXPECT_EQ(utf8_sequence("\xff", 0), 0u);
  EXPECT_EQ(utf8_sequence("a", 1), 0u);  // past the end
}

TEST(ReportEscape, ValidUtf8ShowsStrayBytes) {
  EXPECT_EQ(valid_utf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(valid_utf8("a\xff"
                       "b\xc3"),
            "a\\xFFb\\xC3");
  EXPECT_EQ(valid_utf8("\xed\xa0\x80"), "\\xED\\xA0\\x80");
  EXPECT_EQ(valid_utf8("nul\0x"s), "nul\0x"s);  // JSON escapes controls itself
}

TEST(ReportEscape, XmlText) {
  EXPECT_EQ(xml_text("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(xml_text("]]>"), "]]&gt;");
  EXPECT_EQ(xml_text("tab\tlf\ncr\r"), "tab\tlf\ncr\r");
  EXPECT_EQ(xml_text("nul\0esc\x1b del\x7f"s), "nul\\x00esc\\x1B del\\x7F");
  EXPECT_EQ(xml_text("bad \xfe\xff utf8 \xe2\x80\x94"), "bad \\xFE\\xFF utf8 \xe2\x80\x94");
  EXPECT_EQ(xml_text("\xef\xbf\xbe\xef\xbf\xbf"), "\\uFFFE\\uFFFF");
  EXPECT_EQ(xml_text("\xef\xbf\xbd"), "\xef\xbf\xbd");  // U+FFFD is allowed
}

TEST(ReportEscape, TerminalText) {
  EXPECT_EQ(terminal_text("ok \xc3\xa9"), "ok \xc3\xa9");
  EXPECT_EQ(terminal_text("\x1b[2J\tx\r\n\x7f"), "\\x1B[2J\\x09x\\x0D\\x0A\\x7F");
  EXPECT_EQ(terminal_text("csi \xc2\x9b"
                          "1m nbsp \xc2\xa0"),
            "csi \\u009B1m nbsp \xc2\xa0");
  EXPECT_EQ(terminal_text("\xff"), "\\xFF");
}

TEST(ReportEscape, XmlAttrKeepsWhitespaceAsReferences) {
  EXPECT_EQ(xml_attr("a\tb\nc\rd \"e\""), "a&#9;b&#10;c&#13;d &quot;e&quot;");
}

}  // namespace
}  // namespace mailtls::report
