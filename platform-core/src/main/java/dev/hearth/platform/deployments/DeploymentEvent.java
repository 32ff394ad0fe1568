package dev.hearth.platform.deployments;

/** Something that happened to a deployment or one of its replicas (replica null when the deployment's own). */
public record DeploymentEvent(String time, String deployment, String replica, String reason, String message) {}
