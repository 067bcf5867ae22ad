package io.replagent.console;

import io.replagent.control.ControlException;
import tools.jackson.databind.JsonNode;

/**
 * What the console asks of the running agent: one control operation and its result. The console's commands see
 * the agent only through this, so tests run every command against a fake; the shell passes the control socket.
 */
@FunctionalInterface
public interface Agent {

    /** @param args the operation's arguments, or null for none */
    JsonNode call(String op, JsonNode args) throws ControlException;
}
