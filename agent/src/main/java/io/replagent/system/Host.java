package io.replagent.system;

import java.util.Map;

/**
 * The side-effect layer in one value: everything the converger may touch on this host.
 *
 * @param env the agent's environment, where {@code {env: NAME}} secrets come from
 */
public record Host(HostFiles files, Users users, Processes processes, Sysctl sysctl, Map<String, String> env) {

    public Host {
        env = Map.copyOf(env);
    }

    /** This machine, with the kernel's {@code /proc/sys}. */
    public static Host local(Map<String, String> env) {
        Processes processes = new Processes();
        return new Host(new HostFiles(), new Users(processes), processes, new Sysctl(Sysctl.PROC_SYS), env);
    }
}
