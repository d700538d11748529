// Selector::parse: upstream's label selector lexer and recursive-descent parser, same messages.
#include <fmt/format.h>
#include <algorithm>
#include <set>

#include "api/labels/detail/errors.hpp"
#include "api/labels/selector.hpp"

namespace kactor::api::labels {
namespace {

enum class Token {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
};

struct Item {
  Token token;
  std::string literal;
};

/// Literal tokens; anything else made of non-special characters is an identifier.
std::optional<Token> literal_token(std::string_view s) {
  if (s == ")") return Token::ClosedPar;
  if (s == ",") return Token::Comma;
  if (s == "!") return Token::DoesNotExist;
  if (s == "==") return Token::DoubleEquals;
  if (s == "=") return Token::Equals;
  if (s == ">") return Token::GreaterThan;
  if (s == "in") return Token::In;
  if (s == "<") return Token::LessThan;
  if (s == "!=") return Token::NotEquals;
  if (s == "notin") return Token::NotIn;
  if (s == "(") return Token::OpenPar;
  return std::nullopt;
}

bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_special(char c) {
  return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Item next() {
    while (pos_ < s_.size() && is_whitespace(s_[pos_])) ++pos_;
    if (pos_ >= s_.size()) return {Token::EndOfString, ""};
    return is_special(s_[pos_]) ? special() : identifier_or_keyword();
  }

 private:
  Item identifier_or_keyword() {
    size_t start = pos_;
    while (pos_ < s_.size() && !is_special(s_[pos_]) && !is_whitespace(s_[pos_])) ++pos_;
    std::string word(s_.substr(start, pos_ - start));
    if (auto t = literal_token(word)) return {*t, word};
    return {Token::Identifier, word};
  }

  /// The longest run of special characters that still forms an operator ("!=", "==").
  Item special() {
    std::string buffer;
    std::optional<Item> last;
    while (pos_ < s_.size() && is_special(s_[pos_])) {
      buffer += s_[pos_++];
      if (auto t = literal_token(buffer)) {
        last = Item{*t, buffer};
      } else if (last) {
        --pos_;
        break;
      }
    }
    if (!last) return {Token::Error, fmt::format("error expected: keyword found '{}'", buffer)};
    return *last;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

enum class Context { KeyAndOperator, Values };

/// Thrown-free parser: every step returns a Result and the caller stops at the first error.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    Lexer lexer(text);
    while (true) {
      items_.push_back(lexer.next());
      if (items_.back().token == Token::EndOfString) break;
    }
  }

  Result<std::vector<Requirement>> parse() {
    std::vector<Requirement> reqs;
    while (true) {
      auto [tok, lit] = lookahead(Context::Values);
      switch (tok) {
        case Token::Identifier:
        case Token::DoesNotExist: {
          auto r = requirement();
          if (!r) return fail(bad_request("unable to parse requirement: " + r.error()));
          reqs.push_back(std::move(*r));
          auto [t, l] = consume(Context::Values);
          if (t == Token::EndOfString) return reqs;
          if (t == Token::Comma) {
            auto [t2, l2] = lookahead(Context::Values);
            if (t2 != Token::Identifier && t2 != Token::DoesNotExist) {
              return fail(
                  bad_request(fmt::format("found '{}', expected: identifier after ','", l2)));
            }
            break;
          }
          return fail(bad_request(fmt::format("found '{}', expected: ',' or 'end of string'", l)));
        }
        case Token::EndOfString:
          return reqs;
        default:
          return fail(bad_request(
              fmt::format("found '{}', expected: !, identifier, or 'end of string'", lit)));
      }
    }
  }

 private:
  using Step = std::expected<Requirement, std::string>;

  Item lookahead(Context ctx) const { return adjust(items_[pos_], ctx); }
  Item consume(Context ctx) { return adjust(items_[pos_++], ctx); }

  /// Inside values, the keywords "in" and "notin" are plain identifiers.
  static Item adjust(Item item, Context ctx) {
    if (ctx == Context::Values && (item.token == Token::In || item.token == Token::NotIn)) {
      item.token = Token::Identifier;
    }
    return item;
  }

  static Step validated(std::string key, Operator op, std::vector<std::string> values) {
    auto r = Requirement::create(std::move(key), op, std::move(values));
    if (!r) return std::unexpected(r.error().message);
    return std::move(*r);
  }

  Step requirement() {
    // The key, with "!" before it meaning does-not-exist and nothing after it meaning exists.
    std::optional<Operator> op;
    Item item = consume(Context::Values);
    if (item.token == Token::DoesNotExist) {
      op = Operator::DoesNotExist;
      item = consume(Context::Values);
    }
    if (item.token != Token::Identifier) {
      return std::unexpected(fmt::format("found '{}', expected: identifier", item.literal));
    }
    std::string key = std::move(item.literal);
    if (auto e = detail::key_error(key, "<nil>"); !e.empty()) return std::unexpected(e);
    auto next = lookahead(Context::Values).token;
    if ((next == Token::EndOfString || next == Token::Comma) && !op) op = Operator::Exists;
    if (op) return validated(std::move(key), *op, {});

    auto parsed_op = operator_();
    if (!parsed_op) return std::unexpected(parsed_op.error());
    std::expected<std::set<std::string>, std::string> values;
    if (*parsed_op == Operator::In || *parsed_op == Operator::NotIn) {
      values = value_set();
    } else {
      values = exact_value();
    }
    if (!values) return std::unexpected(values.error());
    // Upstream collects values in a set: deduplicated and sorted.
    return validated(std::move(key), *parsed_op, {values->begin(), values->end()});
  }

  std::expected<Operator, std::string> operator_() {
    auto [tok, lit] = consume(Context::KeyAndOperator);
    switch (tok) {
      case Token::In:
        return Operator::In;
      case Token::Equals:
        return Operator::Equals;
      case Token::DoubleEquals:
        return Operator::DoubleEquals;
      case Token::GreaterThan:
        return Operator::GreaterThan;
      case Token::LessThan:
        return Operator::LessThan;
      case Token::NotIn:
        return Operator::NotIn;
      case Token::NotEquals:
        return Operator::NotEquals;
      default:
        return std::unexpected(
            fmt::format("found '{}', expected: in, notin, =, ==, !=, gt, lt", lit));
    }
  }

  std::expected<std::set<std::string>, std::string> value_set() {
    Item open = consume(Context::Values);
    if (open.token != Token::OpenPar) {
      return std::unexpected(fmt::format("found '{}' expected: '('", open.literal));
    }
    auto [tok, lit] = lookahead(Context::Values);
    switch (tok) {
      case Token::Identifier:
      case Token::Comma: {
        auto s = identifiers();
        if (!s) return s;
        // Upstream reports the literal seen before the list here, not the offending one.
        if (consume(Context::Values).token != Token::ClosedPar) {
          return std::unexpected(fmt::format("found '{}', expected: ')'", lit));
        }
        return s;
      }
      case Token::ClosedPar:
        consume(Context::Values);
        return std::set<std::string>{""};
      default:
        return std::unexpected(fmt::format("found '{}', expected: ',', ')' or identifier", lit));
    }
  }

  /// A possibly empty, comma-separated list of possibly empty identifiers.
  std::expected<std::set<std::string>, std::string> identifiers() {
    std::set<std::string> s;
    while (true) {
      auto [tok, lit] = consume(Context::Values);
      switch (tok) {
        case Token::Identifier: {
          s.insert(lit);
          auto [tok2, lit2] = lookahead(Context::Values);
          if (tok2 == Token::Comma) continue;
          if (tok2 == Token::ClosedPar) return s;
          return std::unexpected(fmt::format("found '{}', expected: ',' or ')'", lit2));
        }
        case Token::Comma: {
          if (s.empty()) s.insert("");  // "(,"
          auto tok2 = lookahead(Context::Values).token;
          if (tok2 == Token::ClosedPar) {
            s.insert("");  // ",)"
            return s;
          }
          if (tok2 == Token::Comma) {
            consume(Context::Values);
            s.insert("");  // ",,"
          }
          break;
        }
        default:
          return std::unexpected(fmt::format("found '{}', expected: ',', or identifier", lit));
      }
    }
  }

  std::expected<std::set<std::string>, std::string> exact_value() {
    auto tok = lookahead(Context::Values).token;
    if (tok == Token::EndOfString || tok == Token::Comma) return std::set<std::string>{""};
    auto [t, lit] = consume(Context::Values);
    if (t == Token::Identifier) return std::set<std::string>{lit};
    return std::unexpected(fmt::format("found '{}', expected: identifier", lit));
  }

  std::vector<Item> items_;
  size_t pos_ = 0;
};

}  // namespace

Result<Selector> Selector::parse(std::string_view text) {
  Parser parser(text);
  auto reqs = parser.parse();
  if (!reqs) return fail(reqs.error());
  Selector s;
  s.requirements_ = std::move(*reqs);
  // Sorted by key so equal selectors print and compare equal, as upstream.
  std::stable_sort(s.requirements_.begin(), s.requirements_.end(),
                   [](const Requirement& a, const Requirement& b) { return a.key() < b.key(); });
  return s;
}

}  // namespace kactor::api::labels
