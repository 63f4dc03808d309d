// Drives a running gateway with the client generated from the committed OpenAPI document, as a
// TypeScript service would: create with Prefer: wait, read, list, and a problem answer's code.
// Usage: node dist/drive.js <base URL> <key>; prints one JSON line of what it saw, exits 1 on a mismatch.
import { Configuration, ImagesApi, JobStatus, ResponseError } from './client';

function expect(what: string, actual: unknown, expected: unknown): void {
    if (actual !== expected) {
        console.error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
        process.exit(1);
    }
}

async function main(): Promise<void> {
    const [basePath, accessToken] = process.argv.slice(2);
    const images = new ImagesApi(new Configuration({ basePath, accessToken }));

    const created = await images.createImage({
        createImageRequest: {
            model: 'black-forest-labs/flux-schnell',
            prompt: 'a red bicycle',
            aspectRatio: '16:9',
            numOutputs: 1,
            outputFormat: 'webp',
        },
        prefer: 'wait=10',
        idempotencyKey: 'typescript-client-1',
    });
    expect('created status', created.status, JobStatus.Succeeded);

    const read = await images.getImage({ id: created.id });
    expect('read status', read.status, JobStatus.Succeeded);
    expect('read completedAt is a Date', read.completedAt instanceof Date, true);

    // other jobs of this client may share its creation time: page until it shows up
    let listed = false;
    let cursor: string | undefined;
    do {
        const page = await images.listImages({ limit: 100, status: JobStatus.Succeeded, cursor });
        listed = page.items.some((job) => job.id === created.id);
        cursor = page.nextCursor ?? undefined;
    } while (!listed && cursor !== undefined);
    expect('listed', listed, true);

    let problem = '';
    try {
        await images.getImage({ id: 'does-not-exist' });
    } catch (error) {
        if (!(error instanceof ResponseError)) {
            throw error;
        }
        expect('problem status', error.response.status, 404);
        expect('problem type', error.response.headers.get('Content-Type'), 'application/problem+json');
        problem = (await error.response.json()).code;
    }
    expect('problem code', problem, 'not_found');

    console.log(JSON.stringify({ created: created.id, status: read.status, listed, problem }));
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
