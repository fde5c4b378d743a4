/**
 * Users, Plaid Items and their accounts: linking, encrypted access tokens, item status.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "common", "plaid" })
package dev.plaidsync.items;
