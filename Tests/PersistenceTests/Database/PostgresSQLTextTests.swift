import Testing

@testable import Persistence

@Suite struct PostgresSQLTextTests {
    @Test func placeholdersAreNumberedOutsideLiteralsIdentifiersAndComments() {
        let (sql, count) = PostgresSQLText.numbered(
            #"SELECT ?, '?', 'it''s ?', "col?", $$ ? $$, $tag$ ?; $tag$ -- ?"# + "\n" + "/* ? */ ? WHERE x = ?")
        #expect(
            sql == #"SELECT $1, '?', 'it''s ?', "col?", $$ ? $$, $tag$ ?; $tag$ -- ?"# + "\n"
                + "/* ? */ $2 WHERE x = $3")
        #expect(count == 3)
    }

    @Test func scriptsSplitAtTopLevelSemicolons() {
        let statements = PostgresSQLText.statements(
            """
            CREATE TABLE t (a TEXT DEFAULT ';');
            -- a comment; still a comment
            CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
            ;
            INSERT INTO "odd;name" VALUES (1)
            """)
        #expect(
            statements.map { $0.trimmingWhitespace() } == [
                "CREATE TABLE t (a TEXT DEFAULT ';')",
                "-- a comment; still a comment\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                #"INSERT INTO "odd;name" VALUES (1)"#,
            ])
    }

    @Test func unterminatedTextAndStrayDollarsDoNotTrap() {
        for sql in ["'open ?", "\"open ?", "/* open ?", "$", "$1 ?", "$a", "$$ open", "-- ?", "?"] {
            _ = PostgresSQLText.numbered(sql)
            _ = PostgresSQLText.statements(sql)
        }
        #expect(PostgresSQLText.numbered("$1 ?").sql == "$1 $1")
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
