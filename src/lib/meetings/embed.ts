/**
 * Which stream and recording links the meeting page can play in place, and how, without
 * sending viewers away. Only an allow-list of players, each in its privacy-respecting form:
 * YouTube through youtube-nocookie.com (no cookies until the viewer plays), Vimeo with dnt=1
 * (no tracking), Granicus (the city's own video host) as its player page. Any other link stays
 * a link. The hosts here must be allowed by the site's Content-Security-Policy frame-src.
 */
export type TEmbedProvider = 'youtube' | 'vimeo' | 'granicus';

export interface TEmbed {
	provider: TEmbedProvider;
	/** The iframe source. */
	src: string;
	/** Who the viewer's browser will contact, for the notice beside the player. */
	host: string;
}

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_CHANNEL = /^UC[A-Za-z0-9_-]{22}$/;

function youtube(url: URL): TEmbed | null {
	const host = url.hostname.replace(/^(www|m)\./, '');
	let id: string | null = null;
	if (host === 'youtu.be') {
		id = url.pathname.slice(1).split('/')[0];
	} else if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
		const parts = url.pathname.split('/').filter(Boolean);
		if (parts[0] === 'watch') id = url.searchParams.get('v');
		else if (['embed', 'live', 'shorts', 'v'].includes(parts[0])) id = parts[1] ?? null;
		else if (
			parts[0] === 'channel' &&
			YOUTUBE_CHANNEL.test(parts[1] ?? '') &&
			parts[2] === 'live'
		) {
			// A channel's current live stream.
			return {
				provider: 'youtube',
				src: `https://www.youtube-nocookie.com/embed/live_stream?channel=${parts[1]}`,
				host: 'www.youtube-nocookie.com'
			};
		}
	} else return null;
	if (!id || !YOUTUBE_ID.test(id)) return null;
	const start = Number.parseInt(
		url.searchParams.get('t') ?? url.searchParams.get('start') ?? '',
		10
	);
	return {
		provider: 'youtube',
		src: `https://www.youtube-nocookie.com/embed/${id}${start > 0 ? `?start=${start}` : ''}`,
		host: 'www.youtube-nocookie.com'
	};
}

function vimeo(url: URL): TEmbed | null {
	const host = url.hostname.replace(/^www\./, '');
	const parts = url.pathname.split('/').filter(Boolean);
	let id: string | undefined;
	let hash: string | null = url.searchParams.get('h');
	if (host === 'player.vimeo.com' && parts[0] === 'video') id = parts[1];
	else if (host === 'vimeo.com') {
		// vimeo.com/123456789, vimeo.com/123456789/abcdef (unlisted), vimeo.com/channels/x/123
		const numeric = parts.findIndex((p) => /^\d+$/.test(p));
		if (numeric < 0 || parts[0] === 'event') return null;
		id = parts[numeric];
		hash ??=
			parts[numeric + 1] && /^[0-9a-f]+$/i.test(parts[numeric + 1]) ? parts[numeric + 1] : null;
	} else return null;
	if (!id || !/^\d+$/.test(id)) return null;
	const q = new URLSearchParams();
	if (hash && /^[0-9a-f]+$/i.test(hash)) q.set('h', hash);
	q.set('dnt', '1');
	return {
		provider: 'vimeo',
		src: `https://player.vimeo.com/video/${id}?${q}`,
		host: 'player.vimeo.com'
	};
}

function granicus(url: URL): TEmbed | null {
	if (!/^[a-z0-9-]+\.granicus\.com$/i.test(url.hostname)) return null;
	// The media player (MediaPlayer.php?view_id=…&clip_id=…|event_id=…) and /player/clip|event/…
	const path = url.pathname;
	if (!/^\/(MediaPlayer\.php|player\/(clip|event|camera)\/[0-9]+)$/i.test(path)) return null;
	return { provider: 'granicus', src: url.toString(), host: url.hostname.toLowerCase() };
}

/** The embeddable player for a stream or recording link, or null when it is not one we embed. */
export function streamEmbed(link: string | null | undefined): TEmbed | null {
	if (!link) return null;
	let url: URL;
	try {
		url = new URL(link);
	} catch {
		return null;
	}
	if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
	return youtube(url) ?? vimeo(url) ?? granicus(url);
}
