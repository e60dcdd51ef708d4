import { expect, it } from 'vitest';
import { interpretInvitation } from './invitation';

it('reads every check_invitation status the database returns', () => {
	expect(interpretInvitation({ status: 'ok', wave_id: 'w', survey_slug: 's' })).toBe('valid');
	expect(interpretInvitation({ status: 'used', wave_id: 'w', survey_slug: 's' })).toBe('used');
	expect(interpretInvitation({ status: 'closed', wave_id: 'w', survey_slug: 's' })).toBe('closed');
	expect(interpretInvitation({ status: 'unknown', wave_id: null, survey_slug: null })).toBe(
		'unknown'
	);
	expect(interpretInvitation(null)).toBe('unknown');
});
