/**
 * The MCP server: Hearth's deploy, inference, observability and lifecycle operations as tools for
 * coding assistants, over stdio and Streamable HTTP. Depends on platform-core only.
 */
package dev.hearth.mcp;
