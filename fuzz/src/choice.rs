//! Structured inputs from the fuzzer's bytes: leading bytes choose among variants (a dataset, a
//! parameter name), the rest is the payload, so that mutating either stays meaningful.

/// The fuzzer's bytes, read front to back.
pub struct Choices<'a> {
    data: &'a [u8],
}

impl<'a> Choices<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Choices { data }
    }

    /// One of `options`, chosen by the next byte (the first option when the input is used up).
    pub fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        let byte = match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        };
        options[usize::from(byte) % options.len()]
    }

    /// What is left, as the payload.
    pub fn rest(self) -> &'a [u8] {
        self.data
    }
}
