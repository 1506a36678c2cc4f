package event

// Font returns the embedded DejaVu Sans Condensed font (TrueType, its
// licence in fonts/LICENSE) that the certificates use, so that other PDF
// documents, such as the annual impact report, print the same scripts.
func Font() []byte { return certificateFont }
