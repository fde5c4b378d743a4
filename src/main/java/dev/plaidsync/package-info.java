/**
 * The Plaid investments sync engine: one application module per sub-package.
 */
@org.jspecify.annotations.NullMarked
package dev.plaidsync;
