import { describe, expect, it } from 'vitest';
import { streamEmbed } from './embed';

describe('streamEmbed', () => {
	it.each([
		[
			'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
			'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'
		],
		[
			'https://youtu.be/dQw4w9WgXcQ?t=90',
			'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90'
		],
		[
			'https://www.youtube.com/live/dQw4w9WgXcQ?si=abc',
			'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'
		],
		[
			'https://m.youtube.com/embed/dQw4w9WgXcQ',
			'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'
		],
		[
			'https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/live',
			'https://www.youtube-nocookie.com/embed/live_stream?channel=UCabcdefghijklmnopqrstuv'
		],
		['https://vimeo.com/76979871', 'https://player.vimeo.com/video/76979871?dnt=1'],
		[
			'https://vimeo.com/76979871/8272103f6e',
			'https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1'
		],
		[
			'https://player.vimeo.com/video/76979871?h=abc123',
			'https://player.vimeo.com/video/76979871?h=abc123&dnt=1'
		],
		[
			'https://kansascity.granicus.com/MediaPlayer.php?view_id=2&clip_id=1234',
			'https://kansascity.granicus.com/MediaPlayer.php?view_id=2&clip_id=1234'
		],
		[
			'https://kcmo.granicus.com/player/clip/5566?view_id=1',
			'https://kcmo.granicus.com/player/clip/5566?view_id=1'
		]
	])('plays %s in place, privacy-respecting', (link, src) => {
		expect(streamEmbed(link)?.src).toBe(src);
	});

	it.each([
		'https://stream.example.org/kcstat/2026-11',
		'http://www.youtube.com/watch?v=dQw4w9WgXcQ', // not https
		'https://www.youtube.com/watch?v=short',
		'https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ',
		'https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ',
		'https://granicus.com.evil.example/MediaPlayer.php',
		'https://kcmo.granicus.com/ViewPublisher.php?view_id=1',
		'https://vimeo.com/event/12345',
		'javascript:alert(1)',
		'not a url',
		null
	])('leaves %s as a link', (link) => {
		expect(streamEmbed(link)).toBeNull();
	});
});
