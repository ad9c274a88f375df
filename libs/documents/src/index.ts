export { FONT_FILES, fontPath, fontsFolder } from './fonts';
export { scriptRuns, type ScriptRun } from './script-runs';
export { formatDateTime, formatNumber, formatPounds, type DocumentLanguage } from './formats';
export { PdfWriter } from './pdf-writer';
export { renderPollCardLetters, type PollCardLetter, type PollCardLetterFund } from './poll-card-letters';
export { renderBallotForm, type BallotFormPot, type BallotFormProposal } from './ballot-form';
