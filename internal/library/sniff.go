package library

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
)

// Allowed file types, by what the bytes say, not the name or the browser:
// PDF, office documents, images, CSV, plain text and ZIP archives.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypeODP  = "application/vnd.oasis.opendocument.presentation"
	TypeOLE  = "application/x-ole-storage" // .doc, .xls, .ppt of older Office
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypeCSV  = "text/csv"
	TypeText = "text/plain"
	TypeZIP  = "application/zip"
)

// Sniff tells the type of a file from its first bytes (head, at least 512
// when the file is that long). ZIP-based formats come back as TypeZIP;
// SniffZip then tells office documents apart. It returns "" for a type
// outside the allow-list.
func Sniff(head []byte, name string) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return TypeJPEG
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return TypeGIF
	case len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return TypeWebP
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return TypeOLE
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return TypeZIP
	}
	if isText(head) {
		if strings.HasSuffix(strings.ToLower(name), ".csv") {
			return TypeCSV
		}
		return TypeText
	}
	return ""
}

// SniffZip tells office documents from plain ZIP archives by their parts;
// a file that is not a readable archive is refused ("").
func SniffZip(r io.ReaderAt, size int64) string {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return ""
	}
	for _, f := range zr.File {
		switch {
		case f.Name == "mimetype":
			rc, err := f.Open()
			if err != nil {
				return ""
			}
			b := make([]byte, 100)
			n, _ := rc.Read(b)
			rc.Close()
			switch strings.TrimSpace(string(b[:n])) {
			case TypeODT:
				return TypeODT
			case TypeODS:
				return TypeODS
			case TypeODP:
				return TypeODP
			}
		case strings.HasPrefix(f.Name, "word/"):
			return TypeDOCX
		case strings.HasPrefix(f.Name, "xl/"):
			return TypeXLSX
		case strings.HasPrefix(f.Name, "ppt/"):
			return TypePPTX
		}
	}
	return TypeZIP
}

// isText reports whether bytes look like text: valid UTF-8 (a cut last
// character allowed) and no NUL bytes.
func isText(b []byte) bool {
	if len(b) == 0 || bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// Extension returns the usual file extension of an allowed type, to fix a
// file name whose extension lies.
func Extension(typ string) string {
	return map[string]string{
		TypePDF: ".pdf", TypeDOCX: ".docx", TypeXLSX: ".xlsx", TypePPTX: ".pptx", TypeODT: ".odt", TypeODS: ".ods", TypeODP: ".odp",
		TypePNG: ".png", TypeJPEG: ".jpg", TypeGIF: ".gif", TypeWebP: ".webp", TypeCSV: ".csv", TypeText: ".txt", TypeZIP: ".zip",
	}[typ]
}
