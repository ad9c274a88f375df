import { fundDecider, wardsDecider } from '../deciders';
import type { AddPot } from '../fund/fund.commands';
import { deciderSpec } from '../testing/decider-spec';
import { actors, command, FUND_ID, fundHistory, past, T, wardPot } from '../testing/fixtures';
import type { ConfigureWards, WardsEvent } from './wards';

const spec = deciderSpec(wardsDecider);
const configure = (wards: string[], actor = actors.admin) => command<ConfigureWards>('ConfigureWards', { wards }, actor, T.created);
const configured = (wards: string[]) => past<WardsEvent>('WardsConfigured', { wards }, T.created);

describe('wards', () => {
  it('records the borough’s wards, tidied', () =>
    spec()
      .when(configure(['Bow East', '  Bow   West ']), undefined)
      .then({ type: 'WardsConfigured', data: { wards: ['Bow East', 'Bow West'] } }));
  it('records nothing when the list is the same', () =>
    spec([configured(['Bow East'])])
      .when(configure(['Bow East']), undefined)
      .thenNothing());
  it('is for administrators', () =>
    spec()
      .when(configure(['Bow East'], actors.reviewer), undefined)
      .thenRejects('AUTH.FORBIDDEN'));
  it.each([
    ['no wards', []],
    ['a blank ward', ['Bow East', ' ']],
    ['a ward named twice, whatever its case', ['Bow East', 'bow east']],
    ['an oversized ward', ['x'.repeat(101)]],
  ])('refuses %s', (_, wards) =>
    spec()
      .when(configure(wards as string[]), undefined)
      .thenRejects('WARDS.INVALID'),
  );
});

describe('pots for configured wards', () => {
  const pots = deciderSpec(fundDecider);
  const addPot = (ward: string) =>
    command<AddPot>('AddPot', { fundId: FUND_ID, pot: { ...wardPot, scope: { kind: 'ward', ward } } }, actors.admin, T.created);

  it('refuses a pot for a ward the borough does not have', () =>
    pots(fundHistory('draft', []))
      .when(addPot('Atlantis'), { wards: ['Bow East', 'Mile End'] })
      .thenRejects('FUND.UNKNOWN_WARD'));
  it('takes a configured ward however it is typed, spelt as the borough spells it', () =>
    pots(fundHistory('draft', []))
      .when(addPot('  mile END '), { wards: ['Bow East', 'Mile End'] })
      .then({ type: 'PotAdded', data: { fundId: FUND_ID, pot: { ...wardPot, scope: { kind: 'ward', ward: 'Mile End' } } } }));
  it('takes any ward while none are configured', () =>
    pots(fundHistory('draft', []))
      .when(addPot('Atlantis'), { wards: [] })
      .then({ type: 'PotAdded', data: { fundId: FUND_ID, pot: { ...wardPot, scope: { kind: 'ward', ward: 'Atlantis' } } } }));
});
