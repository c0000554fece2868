import { AppError, problemResponse } from '@/lib/errors'

// Unknown API paths answer problem+json like every other API error, not Next's HTML 404 page.
const notFound = () => problemResponse(new AppError('NOT_FOUND', 'No such API endpoint.'))

export { notFound as DELETE, notFound as GET, notFound as HEAD, notFound as PATCH, notFound as POST, notFound as PUT }
