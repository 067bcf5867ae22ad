package io.replagent.tree;

/** What a watcher saw happen to a path, as far as replicating it matters. */
public enum Change { CREATED, MODIFIED, DELETED }
