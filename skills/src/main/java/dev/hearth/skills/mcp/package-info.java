/**
 * Hearth's entry in coding assistants' MCP configuration files: added in each assistant's own
 * format, merged into what is there with every other byte kept, and taken out again exactly. A plain
 * library: no HTTP.
 */
package dev.hearth.skills.mcp;
