/**
 * Users, Plaid Items and their accounts: linking, encrypted access tokens, item status.
 * Other modules use it through named interfaces, each a set of its public types:
 * {@code users} (linking, repair, removal, the user's items and accounts: the user
 * API's), {@code sync} (what the sync reads and marks: items in scope, credentials, sync
 * markers, account records, status changes), {@code maintenance} (the per-item work of
 * the operators' item jobs: webhook URLs, token keys), {@code operations} (items needing
 * attention, removal), {@code status} (owners and status changes, for webhooks) and
 * {@code events} (what it publishes: linked, repaired, removed, erasures).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "common", "plaid" })
@org.jspecify.annotations.NullMarked
package dev.plaidsync.items;
