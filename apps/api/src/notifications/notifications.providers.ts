import { NotificationPlanner } from './notification-planner';
import { NotificationPreferences } from './notification-preferences';
import { NotificationPreferencesResolver } from './notification-preferences.resolver';
import { NotificationReactor } from './notification-reactor';
import { NotificationWorker } from './notification-worker';
import { VotingReminders } from './voting-reminders';

/** E-mail notifications, in the AppModule: residents' choices, the reactor that queues, the worker that sends. */
export const NOTIFICATION_RESOLVERS = [NotificationPreferencesResolver];
export const NOTIFICATION_SERVICES = [
  NotificationPreferences,
  NotificationPlanner,
  VotingReminders,
  NotificationWorker,
  NotificationReactor,
];
