"""Receipt reading (OCR): Tesseract on each receipt image or scanned PDF, in a background job; the total,
currency, date and merchant found are recorded on the receipt's expense (expenses.services.review)."""
