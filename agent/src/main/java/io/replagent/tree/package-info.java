/**
 * The vocabulary that watching and replicating share: raw relative paths ({@link io.replagent.tree.RawNames}) and
 * what happened to them ({@link io.replagent.tree.Change}). Depends on nothing else of the agent.
 */
package io.replagent.tree;
