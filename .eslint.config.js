import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{ languageOptions: { globals: { ...globals.browser, ...globals.node } } },
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			// SPA without base path: plain hrefs are intended.
			'svelte/no-navigation-without-resolve': 'off',
			// zod must come configured for the Content-Security-Policy (no eval): src/lib/zod.ts.
			'no-restricted-imports': [
				'error',
				{
					paths: [
						{ name: 'zod', message: "Import { z } from '$lib/zod' (configured for the CSP)." }
					]
				}
			]
		}
	},
	{ files: ['src/lib/zod.ts'], rules: { 'no-restricted-imports': 'off' } },
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'supabase/.local-data/',
			'dev-dist/',
			'test-results/',
			'playwright-report/'
		]
	}
);
