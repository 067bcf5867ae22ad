"""The two-host fault and security suite (`make reliability`); see README.md.

Modules: procs (processes by /proc), ident (the run's unique names and secrets), topology (namespaces, veth, hosts),
states (the hosts' state files), status (reading the agent's status), agent (driving the agents and the daemon),
trees (snapshots, diffs, convergence, bursts), leaks (secret scans), fault (a fault's declaration and its context),
table (the report), runner (the loop); cases/ holds one module per fault.
"""
