/**
 * Reference documentation rendered from the code with Handlebars, so it cannot drift.
 */
package dev.hearth.docs;
