package io.replagent.state;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HistoryCheckTest {

    /** Each rule failing, then passing (one-line flow documents: the column is the position). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        backup options fight the history ; {version: 1, watches: [{name: w, source: /nonexistent-a, targets: [{url: /x, history: true}], rsync: {extra: [--backup-dir=/b]}}]} ; 1:111: --backup-dir=/b: the agent keeps the history of targets with history itself (--backup-dir under .agent/history) ; {version: 1, watches: [{name: w, source: /nonexistent-a, targets: [{url: /x, history: false}], rsync: {extra: [--backup-dir=/b]}}]}
        bundled -b too                   ; {version: 1, watches: [{name: w, source: /nonexistent-a, targets: [{url: /x, history: {keep: 1d}}], rsync: {extra: [-ab]}}]} ; 1:117: -ab: the agent keeps the history of targets with history itself (--backup-dir under .agent/history) ; {version: 1, watches: [{name: w, source: /nonexistent-a, targets: [{url: /x, history: {keep: 1d}}], rsync: {extra: [-a]}}]}
        daemon retention not applied     ; {version: 1, watches: [{name: w, source: /nonexistent-a, targets: [{url: "rsync://h/m", history: {keep: 1d}}]}]} ; 1:98: warning: a daemon module's history is pruned by the backup host's agent (server.modules[].history in its state): keep, max_versions and max_size here are not applied ; {version: 1, watches: [{name: w, source: /nonexistent-a, targets: [{url: "rsync://h/m", history: true}]}]}
        own module prunes nothing        ; {version: 1, server: {modules: [{name: m, path: /m}]}, watches: [{name: w, source: /nonexistent-a, targets: [{url: "rsync://127.0.0.1/m", history: true}]}]} ; 1:148: warning: module 'm' of this state declares no history: the versions this target keeps there are never pruned ; {version: 1, server: {modules: [{name: m, path: /m, history: {keep: 7d}}]}, watches: [{name: w, source: /nonexistent-a, targets: [{url: "rsync://127.0.0.1/m", history: true}]}]}
        size within range                ; {version: 1, server: {modules: [{name: m, path: /m, history: {max_size: 999999999999999TiB}}]}} ; 1:73: size too large: 999999999999999TiB ; {version: 1, server: {modules: [{name: m, path: /m, history: {max_size: 999TiB}}]}}
        """)
    void eachRuleFailsAndPasses(String rule, String failing, String expected, String passing) throws Exception {
        assertEquals(List.of(expected), SemanticCheckTest.semanticProblems(failing, false), "failing case of: " + rule);
        assertEquals(List.of(), SemanticCheckTest.semanticProblems(passing, false), "passing case of: " + rule);
    }
}
