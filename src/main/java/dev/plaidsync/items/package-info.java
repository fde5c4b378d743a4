/**
 * Users, Plaid Items and their accounts: linking, encrypted access tokens, item status.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "common", "plaid" })
@org.jspecify.annotations.NullMarked
package dev.plaidsync.items;
