import RevisitCore
import Testing

@Suite struct VINTests {
    @Test(arguments: [
        "1M8GDM9AXKP042788",  // the textbook example, check digit X
        "5GZCZ43D13S812715",
        "LSVAU2187N2184306",  // SAIC Volkswagen
        "LFV2A21K6H4012345",  // FAW Volkswagen
        "LRW3E7EA6MC123456",  // Tesla Shanghai
        "11111111111111111",
    ])
    func validVINsPass(vin: String) {
        #expect(VIN.problem(vin) == nil)
    }

    @Test func aWrongCheckDigitNamesTheExpectedOne() {
        #expect(VIN.problem("LSVAU2180N2184306") == .checkDigit(expected: "7"))
        #expect(VIN.problem("1M8GDM9A1KP042788") == .checkDigit(expected: "X"))
        #expect(
            throws: RevisitError(
                .validation, code: .vinCheckDigit, field: "vin", args: ["expected": "6", "found": "7"])
        ) {
            try VIN.validate("LFV2A21K7H4012345")
        }
    }

    @Test func lengthAndForbiddenLettersAreCaught() {
        #expect(VIN.problem("LSVAU2187N218430") == .length(16))
        #expect(VIN.problem("LSVAU2187N2I84306") == .characters)  // I is never used
        #expect(VIN.problem("LSVAO2187N2184306") == .characters)  // nor O
        #expect(VIN.problem("LSVAQ2187N2184306") == .characters)  // nor Q
        #expect(VIN.problem("LSVAU2187N218430车") == .characters)  // 17 characters, one of them not Latin
        #expect(VIN.problem("LSVAU2187N21843车") == .length(16))
    }

    @Test func inputIsNormalised() throws {
        #expect(try VIN.validate(" lsvau2187n2184306 ") == "LSVAU2187N2184306")
        #expect(VIN.normalize("LSV-AU2187 N2184306") == "LSVAU2187N2184306")
    }
}
