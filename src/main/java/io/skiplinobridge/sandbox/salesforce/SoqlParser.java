package io.skiplinobridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.skiplinobridge.sandbox.salesforce.SoqlCondition.Operator;
import io.skiplinobridge.sandbox.salesforce.SoqlQuery.OrderItem;

/**
 * Recursive-descent parser of the SOQL subset the bridge issues (grammar in
 * {@code docs/sandbox-salesforce.md}). Anything outside it is a {@code MALFORMED_QUERY}, so a query
 * that works here uses nothing the sandbox silently ignores.
 */
final class SoqlParser {

    private enum Kind { WORD, STRING, NUMBER, DATETIME, COMMA, OPEN, CLOSE, OPERATOR, END }

    private record Token(Kind kind, String text, int position) {
        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    private static final Set<String> RESERVED = Set.of("select", "from", "where", "and", "or", "not", "order", "by",
            "asc", "desc", "nulls", "first", "last", "limit", "offset", "in", "like", "group", "having", "true", "false",
            "null", "includes", "excludes", "with", "for", "using");
    private static final Set<String> DATETIME_FIELDS =
            Set.of(SObjectRecord.SYSTEM_MODSTAMP, SObjectRecord.CREATED_DATE, SObjectRecord.LAST_MODIFIED_DATE);

    private final String soql;
    private final List<Token> tokens;
    private int next;

    private SoqlParser(String soql) {
        this.soql = soql;
        this.tokens = tokenize(soql);
    }

    static SoqlQuery parse(String soql) {
        if (soql == null || soql.isBlank()) {
            throw SalesforceApiException.malformedQuery("empty query");
        }
        return new SoqlParser(soql).query();
    }

    private SoqlQuery query() {
        expectKeyword("SELECT");
        List<String> fields = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        do {
            String field = identifier("field name");
            if (!seen.add(field.toLowerCase(Locale.ROOT))) {
                throw SalesforceApiException.malformedQuery("duplicate field selected: " + field);
            }
            fields.add(field);
        } while (accept(Kind.COMMA));
        expectKeyword("FROM");
        String object = identifier("object name");
        Optional<SoqlCondition> where = Optional.empty();
        if (acceptKeyword("WHERE")) {
            where = Optional.of(conditionList());
        }
        List<OrderItem> orderBy = new ArrayList<>();
        if (acceptKeyword("ORDER")) {
            expectKeyword("BY");
            do {
                orderBy.add(orderItem());
            } while (accept(Kind.COMMA));
        }
        OptionalInt limit = OptionalInt.empty();
        if (acceptKeyword("LIMIT")) {
            Token number = expect(Kind.NUMBER, "a number after LIMIT");
            try {
                limit = OptionalInt.of(Integer.parseInt(number.text()));
            } catch (NumberFormatException tooLarge) {
                throw unexpected(number);
            }
        }
        if (peek().kind() != Kind.END) {
            throw unexpected(peek());
        }
        return new SoqlQuery(fields, object, where, orderBy, limit);
    }

    /** Conditions joined by one connector; mixing AND and OR needs parentheses, as in SOQL. */
    private SoqlCondition conditionList() {
        List<SoqlCondition> conditions = new ArrayList<>();
        conditions.add(operand());
        String connector = null;
        while (peek().isKeyword("AND") || peek().isKeyword("OR")) {
            Token token = take();
            String current = token.text().toUpperCase(Locale.ROOT);
            if (connector != null && !connector.equals(current)) {
                throw SalesforceApiException.malformedQuery("unexpected token: '" + token.text()
                        + "' at column " + (token.position() + 1) + ": use parentheses to mix AND and OR");
            }
            connector = current;
            conditions.add(operand());
        }
        if (conditions.size() == 1) {
            return conditions.get(0);
        }
        return "AND".equals(connector) ? new SoqlCondition.All(conditions) : new SoqlCondition.Any(conditions);
    }

    private SoqlCondition operand() {
        if (accept(Kind.OPEN)) {
            SoqlCondition inner = conditionList();
            expect(Kind.CLOSE, "')'");
            return inner;
        }
        Token fieldToken = peek();
        String field = identifier("field name");
        String lower = field.toLowerCase(Locale.ROOT);
        if (lower.equals("id")) {
            return idCondition();
        }
        if (lower.equals("isdeleted")) {
            Token operator = expect(Kind.OPERATOR, "'='");
            if (!operator.text().equals("=")) {
                throw unsupported(operator, "IsDeleted supports only '='");
            }
            Token value = take();
            if (!value.isKeyword("true") && !value.isKeyword("false")) {
                throw unsupported(value, "IsDeleted compares with true or false");
            }
            return new SoqlCondition.IsDeleted(Boolean.parseBoolean(value.text().toLowerCase(Locale.ROOT)));
        }
        for (String dateTimeField : DATETIME_FIELDS) {
            if (dateTimeField.equalsIgnoreCase(field)) {
                Operator operator = operator(expect(Kind.OPERATOR, "a comparison operator"));
                Token value = take();
                if (value.kind() != Kind.DATETIME) {
                    throw unsupported(value, dateTimeField + " compares with a datetime literal such as "
                            + "2026-11-26T10:00:00.000Z (not quoted)");
                }
                return new SoqlCondition.DateTimeComparison(dateTimeField, operator,
                        SalesforceDateTimes.parse(value.text()).orElseThrow());
            }
        }
        throw unsupported(fieldToken, "the sandbox filters only on Id, IsDeleted, SystemModstamp, CreatedDate "
                + "and LastModifiedDate");
    }

    private SoqlCondition idCondition() {
        if (acceptKeyword("IN")) {
            expect(Kind.OPEN, "'(' after IN");
            Set<String> ids = new LinkedHashSet<>();
            do {
                ids.add(idLiteral());
            } while (accept(Kind.COMMA));
            expect(Kind.CLOSE, "')'");
            return new SoqlCondition.IdIn(ids);
        }
        Operator operator = operator(expect(Kind.OPERATOR, "a comparison operator or IN"));
        return new SoqlCondition.IdComparison(operator, idLiteral());
    }

    private String idLiteral() {
        Token literal = expect(Kind.STRING, "a quoted id");
        return SalesforceIds.normalize(literal.text())
                .orElseThrow(() -> SalesforceApiException.malformedQuery("invalid ID field: " + literal.text()));
    }

    private OrderItem orderItem() {
        String field = identifier("field name");
        boolean descending = false;
        if (acceptKeyword("DESC")) {
            descending = true;
        } else {
            acceptKeyword("ASC");
        }
        boolean nullsLast = descending;
        if (acceptKeyword("NULLS")) {
            if (acceptKeyword("LAST")) {
                nullsLast = true;
            } else {
                expectKeyword("FIRST");
                nullsLast = false;
            }
        }
        return new OrderItem(field, descending, nullsLast);
    }

    private Operator operator(Token token) {
        for (Operator operator : Operator.values()) {
            if (operator.symbol.equals(token.text())) {
                return operator;
            }
        }
        throw unsupported(token, "supported operators are =, <, <=, >, >=");
    }

    private String identifier(String what) {
        Token token = take();
        if (token.kind() != Kind.WORD || RESERVED.contains(token.text().toLowerCase(Locale.ROOT))) {
            throw SalesforceApiException.malformedQuery(describe(token) + ": expected " + what);
        }
        if (token.text().indexOf('.') >= 0) {
            throw unsupported(token, "relationship fields are not supported by the sandbox");
        }
        return token.text();
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private boolean accept(Kind kind) {
        if (peek().kind() == kind) {
            next++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private void expectKeyword(String keyword) {
        if (!acceptKeyword(keyword)) {
            throw SalesforceApiException.malformedQuery(describe(peek()) + ": expected " + keyword);
        }
    }

    private Token expect(Kind kind, String what) {
        Token token = take();
        if (token.kind() != kind) {
            throw SalesforceApiException.malformedQuery(describe(token) + ": expected " + what);
        }
        return token;
    }

    private SalesforceApiException unexpected(Token token) {
        return SalesforceApiException.malformedQuery(describe(token));
    }

    private SalesforceApiException unsupported(Token token, String why) {
        return SalesforceApiException.malformedQuery(describe(token) + ": " + why);
    }

    private String describe(Token token) {
        return token.kind() == Kind.END
                ? "unexpected end of query '" + soql + "'"
                : "unexpected token: '" + token.text() + "' at column " + (token.position() + 1);
    }

    private static List<Token> tokenize(String soql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < soql.length()) {
            char c = soql.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == ',') {
                tokens.add(new Token(Kind.COMMA, ",", start));
                i++;
            } else if (c == '(') {
                tokens.add(new Token(Kind.OPEN, "(", start));
                i++;
            } else if (c == ')') {
                tokens.add(new Token(Kind.CLOSE, ")", start));
                i++;
            } else if (c == '=' || c == '<' || c == '>' || c == '!') {
                i++;
                if (i < soql.length() && (soql.charAt(i) == '=' || (c == '<' && soql.charAt(i) == '>'))) {
                    i++;
                }
                tokens.add(new Token(Kind.OPERATOR, soql.substring(start, i), start));
            } else if (c == '\'') {
                StringBuilder value = new StringBuilder();
                i++;
                while (i < soql.length() && soql.charAt(i) != '\'') {
                    if (soql.charAt(i) == '\\' && i + 1 < soql.length()) {
                        i++;
                    }
                    value.append(soql.charAt(i++));
                }
                if (i >= soql.length()) {
                    throw SalesforceApiException.malformedQuery("unterminated string literal at column " + (start + 1));
                }
                i++;
                tokens.add(new Token(Kind.STRING, value.toString(), start));
            } else if (Character.isDigit(c)) {
                while (i < soql.length() && isLiteralPart(soql.charAt(i))) {
                    i++;
                }
                String text = soql.substring(start, i);
                if (text.chars().allMatch(Character::isDigit)) {
                    tokens.add(new Token(Kind.NUMBER, text, start));
                } else if (text.indexOf('T') > 0 && SalesforceDateTimes.parse(text).isPresent()) {
                    tokens.add(new Token(Kind.DATETIME, text, start));
                } else {
                    throw SalesforceApiException.malformedQuery("unexpected token: '" + text + "' at column " + (start + 1)
                            + ": not a number or a datetime such as 2026-11-26T10:00:00.000Z");
                }
            } else if (Character.isLetter(c) || c == '_') {
                while (i < soql.length() && (Character.isLetterOrDigit(soql.charAt(i)) || soql.charAt(i) == '_'
                        || soql.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, soql.substring(start, i), start));
            } else {
                throw SalesforceApiException.malformedQuery("unexpected character '" + c + "' at column " + (start + 1));
            }
        }
        tokens.add(new Token(Kind.END, "", soql.length()));
        return tokens;
    }

    private static boolean isLiteralPart(char c) {
        return Character.isLetterOrDigit(c) || c == ':' || c == '.' || c == '+' || c == '-';
    }
}
