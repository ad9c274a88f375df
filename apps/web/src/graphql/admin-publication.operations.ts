import type {
  WebAdminChoosePublicationMutation,
  WebAdminChoosePublicationMutationVariables,
  WebAdminFundPublicationQuery,
  WebAdminFundPublicationQueryVariables,
} from './generated';
import { operation } from './operation';

/** What the page choosing a fund's publication of ballots reads: the fund, its phase and its choice now. */
export const ADMIN_FUND_PUBLICATION = operation<WebAdminFundPublicationQuery, WebAdminFundPublicationQueryVariables>(
  `query WebAdminFundPublication($id: ID!) { fund(id: $id) { id name phase ballotPublication } }`,
);

export const ADMIN_CHOOSE_PUBLICATION = operation<WebAdminChoosePublicationMutation, WebAdminChoosePublicationMutationVariables>(
  `mutation WebAdminChoosePublication($commandId: ID, $fundId: ID!, $publication: BallotPublication!) {
    chooseBallotPublication(commandId: $commandId, fundId: $fundId, publication: $publication) { fund { id ballotPublication } }
  }`,
);
