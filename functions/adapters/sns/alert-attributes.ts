/**
 * The alert message attribute that subscription filter policies select on: set by the notifier,
 * filtered on by `feedwatch subscribe` and the stack's subscriptions. A module of its own so the
 * CDK app reads the name without loading the SNS client.
 */
export const WATCH_ID_ATTRIBUTE = 'watchId';
