package io.replagent.converge;

/** What a change does, with the symbol the plan shows (as Terraform's). */
public enum Action {
    CREATE("+", "create"),
    UPDATE("~", "update"),
    DELETE("-", "delete"),
    /** A problem that apply cannot fix: apply refuses to start while one is planned. */
    BLOCKED("!", "blocked");

    public final String symbol;
    public final String word;

    Action(String symbol, String word) {
        this.symbol = symbol;
        this.word = word;
    }
}
