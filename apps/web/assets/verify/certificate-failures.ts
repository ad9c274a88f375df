// The certificate check's stable failures, for the results page to carry a message for each (the pages may not import the audit library).
export { CERTIFICATE_FAILURES } from '../../../../libs/audit/src/certificate/recompute-certificate';
