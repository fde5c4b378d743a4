/**
 * Shared configuration and small value types: the deployment mode, the embedded database,
 * local secrets and the user-scoped database session. Open to every module.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN,
		allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package dev.plaidsync.common;
