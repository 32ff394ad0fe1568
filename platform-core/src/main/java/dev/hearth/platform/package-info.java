/**
 * The platform: replica processes now; the domain model, engine clients, gateway and control API
 * to come.
 */
package dev.hearth.platform;
