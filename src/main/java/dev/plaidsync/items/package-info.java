/**
 * Users, Plaid Items and their accounts: linking, encrypted access tokens, item status.
 */
package dev.plaidsync.items;
