/**
 * Agent Skills for Hearth, the well-known skills server and the installers for coding assistants.
 * Depends on platform-core only.
 */
package dev.hearth.skills;
