import { operation } from './operation';

export type MyNotificationsData = { votingEmails: boolean; language: string; hasEmail: boolean; chosen: boolean };

export const MY_NOTIFICATIONS = operation<{ myNotifications: MyNotificationsData }, Record<string, never>>(
  `query WebMyNotifications { myNotifications { votingEmails language hasEmail chosen } }`,
);

export const SET_MY_NOTIFICATIONS = operation<
  { setMyNotifications: MyNotificationsData | null },
  { input: { votingEmails: boolean; language: string } }
>(
  `mutation WebSetMyNotifications($input: MyNotificationsInput!) { setMyNotifications(input: $input) { votingEmails language hasEmail chosen } }`,
);
