package web

// dateInput is a date field of the date form (dateField): its form name and id, its value
// and range (YYYY-MM-DD each), and its test id, if any.
type dateInput struct {
	Name, ID, Value, Min, Max string
	Required                  bool
	TestID                    string
}
